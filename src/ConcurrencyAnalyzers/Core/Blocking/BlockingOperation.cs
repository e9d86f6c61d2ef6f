using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>The families of blocking operations; each is owned by exactly one rule (<see cref="BlockingKinds.RuleOf"/>).</summary>
internal enum BlockingKind
{
    /// <summary>A synchronous wait for a task (CONC001).</summary>
    TaskWait,

    /// <summary>A sleep (CONC002).</summary>
    Sleep,

    /// <summary>Synchronous I/O with an async twin, a synchronous disposal that misses <c>DisposeAsync</c>, or a user-listed API (CONC003).</summary>
    SynchronousIO,

    /// <summary>A blocking wait on a synchronization primitive (CONC004).</summary>
    Primitive,
}

/// <summary>The APIs the classifier recognises, one per distinct shape of call (and of fix).</summary>
internal enum BlockingApi
{
    TaskWait,
    TaskWaitWithTimeout,
    TaskResult,
    AwaiterGetResult,
    TaskWaitAll,
    TaskWaitAny,
    ThreadSleep,
    SpinUntil,
    SemaphoreWait,
    WaitHandleWait,
    ThreadJoin,
    PrimitiveWait,
    SynchronousCall,
    UserListedCall,
    SynchronousDisposal,

    /// <summary>A constructor that connects (<c>new TcpClient(host, port)</c>).</summary>
    ConnectingConstructor,
}

/// <summary>Which rule owns which kind: decided once, so no operation can be reported by two rules.</summary>
internal static class BlockingKinds
{
    public static BlockingKind KindOf(BlockingApi api) =>
        api switch
        {
            BlockingApi.TaskWait or BlockingApi.TaskWaitWithTimeout or BlockingApi.TaskResult or BlockingApi.AwaiterGetResult
                or BlockingApi.TaskWaitAll or BlockingApi.TaskWaitAny => BlockingKind.TaskWait,
            BlockingApi.ThreadSleep or BlockingApi.SpinUntil => BlockingKind.Sleep,
            BlockingApi.SemaphoreWait or BlockingApi.WaitHandleWait or BlockingApi.ThreadJoin or BlockingApi.PrimitiveWait => BlockingKind.Primitive,
            _ => BlockingKind.SynchronousIO,
        };

    public static string RuleOf(BlockingKind kind) =>
        kind switch
        {
            BlockingKind.TaskWait => RuleIds.BlockingWait,
            BlockingKind.Sleep => RuleIds.Sleep,
            BlockingKind.Primitive => RuleIds.BlockingPrimitive,
            _ => RuleIds.SynchronousIO,
        };

    public static string RuleOf(BlockingApi api) => RuleOf(KindOf(api));
}

/// <summary>
/// What the classifier found: data, never a diagnostic. The rule that owns <see cref="Kind"/> turns it into one; CONC005
/// will summarize it; the fixer receives <see cref="Plan"/>.
/// </summary>
internal sealed class BlockingOperation
{
    public BlockingOperation(BlockingApi api, IOperation operation, ISymbol? member, IOperation? operand, string display, AsyncTwin? twin, FixPlan? plan, string? advice = null, Location? location = null)
    {
        Location = location ?? operation.Syntax.GetLocation();
        Advice = advice;
        Api = api;
        Operation = operation;
        Member = member;
        Operand = operand;
        Display = display;
        Twin = twin;
        Plan = plan;
    }

    public BlockingApi Api { get; }

    public BlockingKind Kind => BlockingKinds.KindOf(Api);

    /// <summary>The rule that reports it.</summary>
    public string RuleId => BlockingKinds.RuleOf(Api);

    /// <summary>The blocking operation itself (the call, the <c>.Result</c>, the <c>using</c>).</summary>
    public IOperation Operation { get; }

    /// <summary>The API symbol (method or property), <see langword="null"/> for a <c>using</c>.</summary>
    public ISymbol? Member { get; }

    /// <summary>What a fix works on: the task for waits, the call for twins, the statement for <c>using</c>.</summary>
    public IOperation? Operand { get; }

    /// <summary>The API as the message names it (<c>Task.Wait()</c>, <c>'File.ReadAllText'</c>, <c>SemaphoreSlim.Wait</c>).</summary>
    public string Display { get; }

    /// <summary>
    /// The API as a chain or another rule's message names it, without quotes: <c>File.ReadAllText</c>,
    /// <c>Task.Wait()</c>, <c>using FileStream</c>.
    /// </summary>
    public string ShortName =>
        Api == BlockingApi.SynchronousDisposal && Display.Split('\'') is { Length: >= 2 } parts ? "using " + parts[1] : Display.Trim('\'');

    /// <summary>Where the diagnostic goes (the operation, or the <c>using</c> keyword).</summary>
    public Location Location { get; }

    /// <summary>What to do instead, in the message's words (CONC003, CONC004).</summary>
    public string? Advice { get; }

    /// <summary>The async twin that binds here, if one was looked for and found.</summary>
    public AsyncTwin? Twin { get; }

    /// <summary>The fixes that are safe to offer, or <see langword="null"/>.</summary>
    public FixPlan? Plan { get; }
}
