using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>Threads, the thread pool, timers and the blocking synchronization primitives.</summary>
internal sealed class ThreadingSymbols
{
    public ThreadingSymbols(KnownSymbols symbols)
    {
        Thread = symbols.Get("System.Threading.Thread");
        ThreadPool = symbols.Get("System.Threading.ThreadPool");
        SpinWait = symbols.Get("System.Threading.SpinWait");
        SemaphoreSlim = symbols.Get("System.Threading.SemaphoreSlim");
        WaitHandle = symbols.Get("System.Threading.WaitHandle");
        Mutex = symbols.Get("System.Threading.Mutex");
        ManualResetEventSlim = symbols.Get("System.Threading.ManualResetEventSlim");
        Monitor = symbols.Get("System.Threading.Monitor");
        CountdownEvent = symbols.Get("System.Threading.CountdownEvent");
        Barrier = symbols.Get("System.Threading.Barrier");
        BlockingCollectionOfT = symbols.Get("System.Collections.Concurrent.BlockingCollection`1");
        ReaderWriterLockSlim = symbols.Get("System.Threading.ReaderWriterLockSlim");
        Timer = symbols.Get("System.Threading.Timer");
    }

    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? ThreadPool { get; }
    public INamedTypeSymbol? SpinWait { get; }
    public INamedTypeSymbol? SemaphoreSlim { get; }
    public INamedTypeSymbol? WaitHandle { get; }
    public INamedTypeSymbol? Mutex { get; }
    public INamedTypeSymbol? ManualResetEventSlim { get; }
    public INamedTypeSymbol? Monitor { get; }
    public INamedTypeSymbol? CountdownEvent { get; }
    public INamedTypeSymbol? Barrier { get; }
    public INamedTypeSymbol? BlockingCollectionOfT { get; }
    public INamedTypeSymbol? ReaderWriterLockSlim { get; }
    public INamedTypeSymbol? Timer { get; }
}
