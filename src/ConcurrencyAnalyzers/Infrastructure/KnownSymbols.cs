using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The well-known types the rules look for, resolved once per compilation and shared by every analyzer.
/// A missing type is <see langword="null"/>: code that does not reference it cannot use it.
/// </summary>
internal sealed class KnownSymbols
{
    private static readonly ConditionalWeakTable<Compilation, KnownSymbols> Cache = new();

    private KnownSymbols(Compilation compilation)
    {
        Compilation = compilation;
#pragma warning disable RS0030 // KnownSymbols is the one place types are looked up by metadata name.
        INamedTypeSymbol? Get(string name) => compilation.GetTypeByMetadataName(name);
#pragma warning restore RS0030

        Task = Get("System.Threading.Tasks.Task");
        TaskOfT = Get("System.Threading.Tasks.Task`1");
        ValueTask = Get("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Get("System.Threading.Tasks.ValueTask`1");
        TaskStatus = Get("System.Threading.Tasks.TaskStatus");
        IAsyncEnumerableOfT = Get("System.Collections.Generic.IAsyncEnumerable`1");
        IAsyncDisposable = Get("System.IAsyncDisposable");
        AsyncMethodBuilderAttribute = Get("System.Runtime.CompilerServices.AsyncMethodBuilderAttribute");
        CancellationToken = Get("System.Threading.CancellationToken");
        CancellationTokenSource = Get("System.Threading.CancellationTokenSource");
        CancellationTokenRegistration = Get("System.Threading.CancellationTokenRegistration");
        TimeSpan = Get("System.TimeSpan");
        ObsoleteAttribute = Get("System.ObsoleteAttribute");

        Awaiters = Collect(
            Get("System.Runtime.CompilerServices.TaskAwaiter"),
            Get("System.Runtime.CompilerServices.TaskAwaiter`1"),
            Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter"),
            Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter"),
            Get("System.Runtime.CompilerServices.ValueTaskAwaiter"),
            Get("System.Runtime.CompilerServices.ValueTaskAwaiter`1"),
            Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter"),
            Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter"));

        Thread = Get("System.Threading.Thread");
        SpinWait = Get("System.Threading.SpinWait");
        SemaphoreSlim = Get("System.Threading.SemaphoreSlim");
        WaitHandle = Get("System.Threading.WaitHandle");
        Mutex = Get("System.Threading.Mutex");
        ManualResetEventSlim = Get("System.Threading.ManualResetEventSlim");
        Monitor = Get("System.Threading.Monitor");
        CountdownEvent = Get("System.Threading.CountdownEvent");
        Barrier = Get("System.Threading.Barrier");
        BlockingCollectionOfT = Get("System.Collections.Concurrent.BlockingCollection`1");
        ReaderWriterLockSlim = Get("System.Threading.ReaderWriterLockSlim");
        Timer = Get("System.Threading.Timer");

        Enumerable = Get("System.Linq.Enumerable");
        ListOfT = Get("System.Collections.Generic.List`1");
        Array = Get("System.Array");

        Stream = Get("System.IO.Stream");
        FileStream = Get("System.IO.FileStream");
        File = Get("System.IO.File");
        FileInfo = Get("System.IO.FileInfo");
        TextWriter = Get("System.IO.TextWriter");
        Console = Get("System.Console");
        XmlReader = Get("System.Xml.XmlReader");
        XmlWriter = Get("System.Xml.XmlWriter");
        DbDataReader = Get("System.Data.Common.DbDataReader");

        // Types that do no I/O although their API mirrors types that do.
        NoIOTypes = Collect(
            Get("System.IO.MemoryStream"),
            Get("System.IO.UnmanagedMemoryStream"),
            Get("System.IO.StringReader"),
            Get("System.IO.StringWriter"),
            Get("System.Buffers.ArrayBufferWriter`1"),
            Console,
            XmlReader,
            XmlWriter,
            CancellationTokenSource);

        // Base types whose DisposeAsync is only a synchronous fallback: using one is not a missed 'await using'.
        SyncFallbackDisposeAsyncTypes = Collect(
            Stream,
            TextWriter,
            Get("System.Data.Common.DbConnection"),
            Get("System.Data.Common.DbCommand"),
            DbDataReader,
            Get("System.Data.Common.DbTransaction"),
            Get("System.Data.Common.DbBatch"));

        // Types whose disposal does not write, so 'await using' buys nothing.
        NoWriteDisposableTypes = Collect(CancellationTokenRegistration, Timer);

        // Types whose blocking members CONC001, CONC002 and CONC004 own; CONC003 leaves them alone.
        BlockingRuleTypes = Collect(
            Task, TaskOfT, ValueTask, ValueTaskOfT, Thread, SpinWait, SemaphoreSlim, WaitHandle, ManualResetEventSlim,
            Monitor, CountdownEvent, Barrier, BlockingCollectionOfT, ReaderWriterLockSlim);

        ConcurrencyRuntimeWaitHandleExtensions = Get("ConcurrencyAnalyzers.Runtime.WaitHandleExtensions");
    }

    public static KnownSymbols For(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownSymbols(c));

    public Compilation Compilation { get; }

    public bool HasTask => Task is not null;

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? TaskStatus { get; }
    public INamedTypeSymbol? IAsyncEnumerableOfT { get; }
    public INamedTypeSymbol? IAsyncDisposable { get; }
    public INamedTypeSymbol? AsyncMethodBuilderAttribute { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? CancellationTokenSource { get; }
    public INamedTypeSymbol? CancellationTokenRegistration { get; }
    public INamedTypeSymbol? TimeSpan { get; }
    public INamedTypeSymbol? ObsoleteAttribute { get; }
    public ImmutableHashSet<INamedTypeSymbol> Awaiters { get; }

    public INamedTypeSymbol? Thread { get; }
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

    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? ListOfT { get; }
    public INamedTypeSymbol? Array { get; }

    public INamedTypeSymbol? Stream { get; }
    public INamedTypeSymbol? FileStream { get; }
    public INamedTypeSymbol? File { get; }
    public INamedTypeSymbol? FileInfo { get; }
    public INamedTypeSymbol? TextWriter { get; }
    public INamedTypeSymbol? Console { get; }
    public INamedTypeSymbol? XmlReader { get; }
    public INamedTypeSymbol? XmlWriter { get; }
    public INamedTypeSymbol? DbDataReader { get; }

    public ImmutableHashSet<INamedTypeSymbol> NoIOTypes { get; }
    public ImmutableHashSet<INamedTypeSymbol> SyncFallbackDisposeAsyncTypes { get; }
    public ImmutableHashSet<INamedTypeSymbol> NoWriteDisposableTypes { get; }
    public ImmutableHashSet<INamedTypeSymbol> BlockingRuleTypes { get; }

    /// <summary>The runtime library's <c>WaitOneAsync</c> host, when the project references it.</summary>
    public INamedTypeSymbol? ConcurrencyRuntimeWaitHandleExtensions { get; }

    /// <summary>Whether <paramref name="type"/> is <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
            return false;
        var definition = named.OriginalDefinition;
        return Eq(definition, Task) || Eq(definition, TaskOfT) || Eq(definition, ValueTask) || Eq(definition, ValueTaskOfT)
            || (named.BaseType is { } b && Eq(b.OriginalDefinition, TaskOfT)) // Task<T> derives from Task
            || InheritsFrom(named, Task);
    }

    public static bool Eq(ISymbol? a, ISymbol? b) => a is not null && SymbolEqualityComparer.Default.Equals(a, b);

    public static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
            return false;
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType))
                return true;
        }

        return false;
    }

    public bool IsAnyOf(ITypeSymbol? type, ImmutableHashSet<INamedTypeSymbol> set)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t is INamedTypeSymbol n && set.Contains(n.OriginalDefinition))
                return true;
        }

        return false;
    }

    private static ImmutableHashSet<INamedTypeSymbol> Collect(params INamedTypeSymbol?[] types)
    {
        var builder = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var t in types)
        {
            if (t is not null)
                builder.Add(t);
        }

        return builder.ToImmutable();
    }
}
