using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>Tasks, their awaiters and status, cancellation tokens and the async method builder attribute.</summary>
internal sealed class TaskSymbols
{
    public TaskSymbols(KnownSymbols symbols)
    {
        Task = symbols.Get("System.Threading.Tasks.Task");
        TaskOfT = symbols.Get("System.Threading.Tasks.Task`1");
        ValueTask = symbols.Get("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = symbols.Get("System.Threading.Tasks.ValueTask`1");
        TaskStatus = symbols.Get("System.Threading.Tasks.TaskStatus");
        TaskFactory = symbols.Get("System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = symbols.Get("System.Threading.Tasks.TaskFactory`1");
        TaskCreationOptions = symbols.Get("System.Threading.Tasks.TaskCreationOptions");
        Parallel = symbols.Get("System.Threading.Tasks.Parallel");
        IAsyncEnumerableOfT = symbols.Get("System.Collections.Generic.IAsyncEnumerable`1");
        IAsyncEnumeratorOfT = symbols.Get("System.Collections.Generic.IAsyncEnumerator`1");
        IAsyncDisposable = symbols.Get("System.IAsyncDisposable");
        AsyncMethodBuilderAttribute = symbols.Get("System.Runtime.CompilerServices.AsyncMethodBuilderAttribute");
        CancellationToken = symbols.Get("System.Threading.CancellationToken");
        CancellationTokenSource = symbols.Get("System.Threading.CancellationTokenSource");
        CancellationTokenRegistration = symbols.Get("System.Threading.CancellationTokenRegistration");
        TimeSpan = symbols.Get("System.TimeSpan");
        ObsoleteAttribute = symbols.Get("System.ObsoleteAttribute");
        Lazy = symbols.Get("System.Lazy`1");
        ConfigureAwaitOptions = symbols.Get("System.Threading.Tasks.ConfigureAwaitOptions");
        EventArgs = symbols.Get("System.EventArgs");
        TaskTypes = KnownSymbols.Collect(Task, TaskOfT, ValueTask, ValueTaskOfT);

        Awaiters = KnownSymbols.Collect(
            symbols.Get("System.Runtime.CompilerServices.TaskAwaiter"),
            symbols.Get("System.Runtime.CompilerServices.TaskAwaiter`1"),
            symbols.Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter"),
            symbols.Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter"),
            symbols.Get("System.Runtime.CompilerServices.ValueTaskAwaiter"),
            symbols.Get("System.Runtime.CompilerServices.ValueTaskAwaiter`1"),
            symbols.Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter"),
            symbols.Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter"));
    }

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? TaskStatus { get; }
    public INamedTypeSymbol? TaskFactory { get; }
    public INamedTypeSymbol? TaskFactoryOfT { get; }
    public INamedTypeSymbol? TaskCreationOptions { get; }
    public INamedTypeSymbol? Parallel { get; }
    public INamedTypeSymbol? IAsyncEnumerableOfT { get; }
    public INamedTypeSymbol? IAsyncEnumeratorOfT { get; }
    public INamedTypeSymbol? IAsyncDisposable { get; }
    public INamedTypeSymbol? AsyncMethodBuilderAttribute { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? CancellationTokenSource { get; }
    public INamedTypeSymbol? CancellationTokenRegistration { get; }
    public INamedTypeSymbol? TimeSpan { get; }
    public INamedTypeSymbol? ObsoleteAttribute { get; }
    /// <summary><c>System.EventArgs</c>: the second parameter of an event handler derives from it.</summary>
    public INamedTypeSymbol? EventArgs { get; }

    /// <summary><c>ConfigureAwaitOptions</c> (.NET 8): an awaited delay that does not throw when cancelled.</summary>
    public INamedTypeSymbol? ConfigureAwaitOptions { get; }

    public INamedTypeSymbol? Lazy { get; }

    /// <summary><c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c>, <c>ValueTask&lt;T&gt;</c>.</summary>
    public ImmutableHashSet<INamedTypeSymbol> TaskTypes { get; }

    public ImmutableHashSet<INamedTypeSymbol> Awaiters { get; }

    /// <summary>Whether <paramref name="type"/> is one of the four task types or derives from <c>Task</c>.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
            return false;
        return TaskTypes.Contains(named.OriginalDefinition) || KnownSymbols.InheritsFrom(named, Task);
    }

    /// <summary>A member declared by one of the task types (<c>IsCompleted</c>, <c>Status</c>, <c>ConfigureAwait</c>…).</summary>
    public bool IsTaskMember(ISymbol? member) =>
        member?.ContainingType is { } type && TaskTypes.Contains(type.OriginalDefinition);
}
