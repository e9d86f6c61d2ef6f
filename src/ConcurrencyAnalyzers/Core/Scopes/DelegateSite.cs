using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>Where a delegate's body runs, relative to the code that creates it.</summary>
internal enum DelegateRuns
{
    /// <summary>Nothing known: stored, passed to a callee we cannot see into, returned.</summary>
    Unknown,

    /// <summary>Run by the caller before it goes on: LINQ to Objects, <c>List&lt;T&gt;.ForEach</c>, <c>Array.ForEach</c>, <c>SpinWait.SpinUntil</c>.</summary>
    Inline,

    /// <summary>Queued to the shared thread pool: <c>Task.Run</c>, <c>StartNew</c> without <c>LongRunning</c>, <c>QueueUserWorkItem</c>, <c>Parallel.*</c>, timer callbacks.</summary>
    ThreadPool,

    /// <summary>Run on a thread of its own: <c>new Thread</c>, <c>StartNew(…, LongRunning)</c>, the runtime's <c>ThreadExecutor.RunAsync</c>.</summary>
    DedicatedThread,

    /// <summary>Run later, by someone else: continuations, event handlers, <c>Lazy&lt;T&gt;</c>, token callbacks.</summary>
    Deferred,

    /// <summary>Sent to a worker process (<c>ProcessExecutor</c>).</summary>
    OtherProcess,
}

/// <summary>
/// The one table that answers "where does this lambda or method group run": the async-context walk, the completed-task
/// analysis (continuation antecedents, lambdas over a collection) and the thread and boundary rules all ask it.
/// </summary>
internal readonly struct DelegateSite
{
    private DelegateSite(DelegateRuns runs, IInvocationOperation? invocation, IArgumentOperation? argument, ITypeSymbol? delegateType)
    {
        Runs = runs;
        Invocation = invocation;
        Argument = argument;
        DelegateType = delegateType;
    }

    public DelegateRuns Runs { get; }

    /// <summary>The call the delegate is passed to, when it is an argument.</summary>
    public IInvocationOperation? Invocation { get; }

    /// <summary>The argument the delegate is, when it is one.</summary>
    public IArgumentOperation? Argument { get; }

    /// <summary>The delegate type the function is converted to.</summary>
    public ITypeSymbol? DelegateType { get; }

    /// <summary>The delegate returns <c>void</c> (<c>Action</c>, <c>ThreadStart</c>, <c>TimerCallback</c>…): an async lambda there is async void.</summary>
    public bool IsVoidReturning => DelegateType is INamedTypeSymbol { DelegateInvokeMethod.ReturnsVoid: true };

    /// <summary>Where <paramref name="function"/> (a lambda, anonymous method or method reference) runs.</summary>
    public static DelegateSite Of(IOperation function, KnownSymbols symbols)
    {
        ITypeSymbol? delegateType = null;
        var parent = function.Parent;
        // Parallel.Invoke(() => …, () => …): each lambda is an element of the params array argument.
        while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation or IArrayInitializerOperation
            || parent is IArrayCreationOperation { IsImplicit: true })
        {
            delegateType ??= parent is IDelegateCreationOperation creation ? creation.Type : null;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IArgumentOperation { Parent: IInvocationOperation invocation } argument:
                return new DelegateSite(Classify(invocation, symbols), invocation, argument, delegateType);
            case IArgumentOperation { Parent: IObjectCreationOperation creation } argument:
                return new DelegateSite(Classify(creation, symbols), null, argument, delegateType);
            case IEventAssignmentOperation:
                return new DelegateSite(DelegateRuns.Deferred, null, null, delegateType);
            default:
                return new DelegateSite(DelegateRuns.Unknown, null, null, delegateType);
        }
    }

    private static DelegateRuns Classify(IInvocationOperation invocation, KnownSymbols symbols)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
            return DelegateRuns.Unknown;
        var collections = symbols.Collections;
        if (KnownSymbols.Eq(type, collections.Enumerable))
            return DelegateRuns.Inline;
        var tasks = symbols.Tasks;
        var threading = symbols.Threading;
        switch (method.Name)
        {
            case "ForEach" or "Find" or "FindAll" or "FindIndex" or "FindLast" or "Exists" or "TrueForAll" or "ConvertAll" or "RemoveAll" or "Sort"
                when KnownSymbols.Eq(type, collections.ListOfT) || KnownSymbols.Eq(type, collections.Array):
                return DelegateRuns.Inline;
            case "SpinUntil" when KnownSymbols.Eq(type, threading.SpinWait):
                return DelegateRuns.Inline;
            case "Run" when KnownSymbols.Eq(type, tasks.Task):
                return DelegateRuns.ThreadPool;
            case "StartNew" when KnownSymbols.Eq(type, tasks.TaskFactory) || KnownSymbols.Eq(type, tasks.TaskFactoryOfT):
                return IsLongRunning(invocation, tasks) ? DelegateRuns.DedicatedThread : DelegateRuns.ThreadPool;
            case "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" when KnownSymbols.Eq(type, threading.ThreadPool):
                return DelegateRuns.ThreadPool;
            case "For" or "ForEach" or "Invoke" when KnownSymbols.Eq(type, tasks.Parallel):
                return DelegateRuns.ThreadPool;
            case "ContinueWith" when symbols.IsTaskLike(type):
                return DelegateRuns.Deferred;
            case "Register" or "UnsafeRegister" when KnownSymbols.Eq(type, tasks.CancellationToken):
                return DelegateRuns.Deferred;
            case "RunAsync" when KnownSymbols.Eq(type, symbols.Libraries.ProcessExecutor):
                return DelegateRuns.OtherProcess;
            case "RunAsync" when KnownSymbols.Eq(type, symbols.Libraries.ThreadExecutor):
                return DelegateRuns.DedicatedThread; // the runtime's executors run work on threads of their own

            default:
                return DelegateRuns.Unknown;
        }
    }

    private static DelegateRuns Classify(IObjectCreationOperation creation, KnownSymbols symbols)
    {
        var type = creation.Type?.OriginalDefinition;
        var threading = symbols.Threading;
        if (KnownSymbols.Eq(type, threading.Thread))
            return DelegateRuns.DedicatedThread;
        if (KnownSymbols.Eq(type, threading.Timer))
            return DelegateRuns.ThreadPool;
        if (KnownSymbols.Eq(type, symbols.Tasks.Lazy))
            return DelegateRuns.Deferred;
        return DelegateRuns.Unknown;
    }

    private static bool IsLongRunning(IInvocationOperation invocation, TaskSymbols tasks)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (KnownSymbols.Eq(argument.Parameter?.Type, tasks.TaskCreationOptions)
                && argument.Value.ConstantValue is { HasValue: true, Value: int flags }
                && (flags & 2) != 0) // TaskCreationOptions.LongRunning
                return true;
        }

        return false;
    }
}
