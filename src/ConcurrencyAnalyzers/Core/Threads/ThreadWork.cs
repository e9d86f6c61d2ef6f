using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>What a dedicated thread is used for, judged from its start delegate (CONC020, CONC021).</summary>
internal enum ThreadUse
{
    /// <summary>A thread per item: <c>new Thread</c> inside a loop.</summary>
    PerItem,

    /// <summary>It computes: loops or CPU-heavy calls, and nothing that blocks.</summary>
    Compute,

    /// <summary>It mostly waits: a loop that sleeps, waits or does synchronous I/O.</summary>
    Waiting,
}

/// <summary>The verdict on one <c>new Thread(…)</c>.</summary>
internal sealed class ThreadVerdict
{
    public ThreadVerdict(ThreadUse use, string reason)
    {
        Use = use;
        Reason = reason;
    }

    public ThreadUse Use { get; }

    /// <summary><c>a loop that sleeps ('Thread.Sleep')</c>, <c>constant bounds of 1,000,000 iterations</c>.</summary>
    public string Reason { get; }
}

/// <summary>
/// Judges a <c>new Thread(start)</c> by what its start delegate does — a lambda, an anonymous method, a local function or
/// a method of the project (one level: the body of the delegate). A thread created inside a loop is a thread per item.
/// Otherwise a loop in the body that blocks (a sleep, a sync wait, synchronous I/O, a blocking helper — CONC001–CONC005's
/// verdicts, as if in async code) makes it a waiting thread; loops or CPU-heavy calls with nothing blocking make it a
/// compute thread. Threads with a job only a dedicated thread does are left alone: an STA thread
/// (<c>SetApartmentState</c>), a custom stack size, a consumer that takes items from a queue (<c>BlockingCollection</c>,
/// <c>ConcurrentQueue</c>, a channel: <c>Take</c>/<c>TryTake</c>/<c>TryDequeue</c>/<c>TryRead</c>…), a message loop
/// (<c>Application.Run</c>, <c>Dispatcher.Run</c>), a wait/notify consumer (<c>Monitor.Wait(gate)</c> without a timeout, in a <c>lock</c>). A lambda
/// that only calls a method of the project is judged by that method; a thread created in a loop is a thread per item
/// whatever it runs.
/// </summary>
internal static class ThreadWork
{
    public static ThreadVerdict? Judge(IObjectCreationOperation creation, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        if (!KnownSymbols.Eq(creation.Type?.OriginalDefinition, analysis.Symbols.Threading.Thread) || creation.Arguments.Length == 0)
            return null;
        if (creation.Arguments.Any(a => a.Parameter?.Name == "maxStackSize"))
            return null; // a custom stack size: a job for a thread of its own
        if (IsApartmentThread(creation))
            return null;
        var start = Start(creation.Arguments[0].Value, analysis) is { } known ? Forwarded(known, analysis) : ((FunctionScope Scope, IOperation Body)?)null;
        if (start is { } seen && IsDedicatedJob(seen.Body))
            return null;

        // A thread per item is one whatever it runs: a delegate whose body is not in the project (job.Run) included.
        if (InLoop(creation, analysis))
            return new ThreadVerdict(ThreadUse.PerItem, "a thread per item of the loop it is created in");
        if (start is not { } judged)
            return null;
        var (scope, body) = judged;

        var hasLoop = false;
        foreach (var loop in BlockingSummaries.OwnOperations(body).OfType<ILoopOperation>())
        {
            hasLoop = true;
            if (BlockingIn(loop, scope, analysis) is { } blocking)
                return new ThreadVerdict(ThreadUse.Waiting, "a loop that " + blocking);
        }

        if (BlockingSummaries.OwnOperations(body).Any(o => Blocks(o, scope, analysis) is not null))
            return null; // it blocks once (a connect, a read): not compute, and not a polling loop
        var additional = analysis.Settings.AdditionalCpuHeavyApis(creation.Syntax.SyntaxTree);
        if (BlockingSummaries.OwnOperations(body).Select(o => analysis.CpuHeavy.Classify(o, additional)).FirstOrDefault(h => h is not null) is { } heavy)
            return new ThreadVerdict(ThreadUse.Compute, "it calls '" + heavy.Display + "' (" + heavy.Work + ")");
        return hasLoop ? new ThreadVerdict(ThreadUse.Compute, "it loops and computes, and never waits") : null;
    }

    /// <summary>The start delegate's function and body: a lambda or anonymous method, or a method group of a method with a body in the project.</summary>
    internal static (FunctionScope Scope, IOperation Body)? Start(IOperation value, ConcurrencyAnalysis analysis)
    {
        value = value.WalkDownConversions();
        if (value is IDelegateCreationOperation creation)
            value = creation.Target.WalkDownConversions();
        switch (value)
        {
            case IAnonymousFunctionOperation lambda:
                return (new FunctionScope(lambda.Symbol, lambda, lambda.Body, lambda.Symbol.ContainingSymbol), lambda.Body);
            case IMethodReferenceOperation { Method: var method }:
                return OfMethod(method, analysis);
            default:
                return null;
        }
    }

    private static (FunctionScope Scope, IOperation Body)? OfMethod(IMethodSymbol method, ConcurrencyAnalysis analysis) =>
        analysis.SourceBodyOf(method.OriginalDefinition, default) is { } body
            ? (new FunctionScope(method, body.Parent as ILocalFunctionOperation, body, method), body)
            : null;

    /// <summary>
    /// A lambda that only calls a method of the project — <c>() =&gt; Run(token)</c>, <c>() =&gt; _result = Decode(data)</c> —
    /// is judged by that method's body (through up to three such forwarders): the thread runs what the method does.
    /// </summary>
    private static (FunctionScope Scope, IOperation Body) Forwarded((FunctionScope Scope, IOperation Body) start, ConcurrencyAnalysis analysis)
    {
        for (var hop = 0; hop < 3; hop++)
        {
            if (SoleCall(start.Body) is not { } method || OfMethod(method, analysis) is not { } next)
                break;
            start = next;
        }

        return start;
    }

    /// <summary>The method of the one call a body consists of (an assignment of its result included), when its body is certain.</summary>
    private static IMethodSymbol? SoleCall(IOperation body)
    {
        if (body is not IBlockOperation block)
            return null;
        IOperation? only = null;
        foreach (var statement in block.Operations)
        {
            if (statement is IReturnOperation { ReturnedValue: null } && statement.IsImplicit)
                continue;
            if (only is not null)
                return null;
            only = statement;
        }

        var expression = only switch
        {
            IExpressionStatementOperation { Operation: var e } => e,
            IReturnOperation { ReturnedValue: { } value } => value,
            _ => null,
        };
        if (expression is ISimpleAssignmentOperation assignment)
            expression = assignment.Value;
        expression = expression?.WalkDownConversions();
        if (expression is not IInvocationOperation { TargetMethod: { IsAbstract: false } method }
            || method.IsVirtual || (method.IsOverride && !method.IsSealed) || method.ContainingType?.TypeKind == TypeKind.Interface)
            return null;
        return method;
    }

    /// <summary><c>thread.SetApartmentState(…)</c>/<c>TrySetApartmentState(…)</c> on the variable the thread is stored in.</summary>
    private static bool IsApartmentThread(IObjectCreationOperation creation)
    {
        var target = creation.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation assignment => assignment.Target.ReferencedSymbol(),
            _ => null,
        };
        return target is not null && creation.CallsOn(target).Any(i => i.TargetMethod.Name is "SetApartmentState" or "TrySetApartmentState");
    }

    /// <summary>A consumer of a queue or a message loop: waiting is that thread's job.</summary>
    private static bool IsDedicatedJob(IOperation body)
    {
        // A loop that drains a queue and then sleeps a fixed time polls it: a batching uploader, not a consumer that
        // waits for work to arrive.
        var sleeps = BlockingSummaries.OwnOperations(body).Any(o => o is IInvocationOperation { TargetMethod: { Name: "Sleep", ContainingType.Name: "Thread" } });
        return BlockingSummaries.OwnOperations(body).Any(o => o switch
        {
            // A worker that takes items from a queue (a BlockingCollection, a ConcurrentQueue, a channel, its own
            // TryTake helper) and waits for more: a consumer, the job a dedicated thread is for.
            // A pump that moves items on into a channel (Writer.TryWrite) is the same job.
            IInvocationOperation { TargetMethod.Name: var name } when IsQueueVerb(name) => !sleeps,
            IInvocationOperation { TargetMethod: { Name: "Run", ContainingType.Name: "Application" or "Dispatcher" } } => true,
            IInvocationOperation { TargetMethod: { Name: "GetMessage" or "PeekMessage" or "DispatchMessage" } } => true,
            // A wait/notify consumer: Monitor.Wait(gate) inside a lock, with no timeout, is a condition variable woken when
            // work is handed over (with a timeout it is a timer: a waiting loop).
            IInvocationOperation { TargetMethod: { Name: "Wait", ContainingType.Name: "Monitor" }, Arguments.Length: 1 } wait => wait.Ancestors().Any(a => a is ILockOperation),
            _ => false,
        });
    }

    /// <summary><c>Take</c>, <c>TakePriority</c>, <c>TryTake</c>, <c>Dequeue…</c>, <c>TryDequeue</c>, <c>TryRead</c>, <c>TryPop</c>, <c>TryReceive</c>, <c>GetConsumingEnumerable</c>, <c>TryWrite</c>.</summary>
    private static bool IsQueueVerb(string name) =>
        name.StartsWith("Take", System.StringComparison.Ordinal) || name.StartsWith("TryTake", System.StringComparison.Ordinal)
        || name.StartsWith("Dequeue", System.StringComparison.Ordinal) || name.StartsWith("TryDequeue", System.StringComparison.Ordinal)
        || name is "TryRead" or "TryPop" or "TryReceive" or "GetConsumingEnumerable" or "TryWrite";

    private static bool InLoop(IOperation creation, ConcurrencyAnalysis analysis)
    {
        for (var parent = creation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation:
                    return true;
                case IAnonymousFunctionOperation lambda when DelegateSite.Of(lambda, analysis.Symbols).Runs != DelegateRuns.Inline:
                    return false;
                case ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }

    /// <summary>What the loop blocks on, as a phrase (<c>sleeps ('Thread.Sleep')</c>), or <see langword="null"/>.</summary>
    private static string? BlockingIn(ILoopOperation loop, FunctionScope scope, ConcurrencyAnalysis analysis)
    {
        foreach (var operation in BlockingSummaries.OwnOperations(loop))
        {
            if (Blocks(operation, scope, analysis) is { } phrase)
                return phrase;
        }

        return null;
    }

    private static string? Blocks(IOperation operation, FunctionScope scope, ConcurrencyAnalysis analysis)
    {
        if (operation is not (IInvocationOperation or IPropertyReferenceOperation or IObjectCreationOperation or IUsingOperation or IUsingDeclarationOperation))
            return null;
        return analysis.BlockingAt(operation, scope) switch
        {
            ({ Kind: BlockingKind.Sleep } blocking, _, _) => "sleeps ('" + blocking.ShortName + "')",
            ({ Kind: BlockingKind.SynchronousIO } blocking, _, _) => "does synchronous I/O ('" + blocking.ShortName + "')",
            ({ } blocking, _, _) => "waits ('" + blocking.ShortName + "')",
            (null, { } summary, _) => "blocks (" + summary + ")",
            _ => null,
        };
    }
}
