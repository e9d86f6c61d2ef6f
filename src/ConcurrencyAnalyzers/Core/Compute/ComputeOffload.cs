using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>What CONC010 and CONC011 share: whether the async code already runs off the caller's path, what their message says about where the work runs, and the offloading plan.</summary>
internal static class ComputeOffload
{
    /// <summary>An async lambda that already runs off the caller's path: given to <c>Task.Run</c>, <c>Parallel</c> or an executor.</summary>
    public static bool IsOffloaded(AsyncContext context, ConcurrencyAnalysis analysis) =>
        context.Scope.FunctionOperation is IAnonymousFunctionOperation lambda
        && DelegateSite.Of(lambda, analysis.Symbols).Runs is DelegateRuns.ThreadPool or DelegateRuns.DedicatedThread;

    /// <summary>Before the function's first <c>await</c> the work runs on the caller's thread (a request thread, a UI thread).</summary>
    public static string Where(IOperation operation, AsyncContext context, ConcurrencyAnalysis analysis) =>
        analysis.IndexOf(context.Body).HasAwaitBefore(operation.Syntax.SpanStart, context.Scope.FunctionOperation?.Syntax)
            ? "after an await"
            : "before the first await, on the caller's thread";

    /// <summary>Move it to the compute executor (or <c>Task.Run</c>), with the token in scope.</summary>
    public static FixPlan Plan(FixKind offload, IOperation operation, AsyncContext context, ConcurrencyAnalysis analysis) =>
        new FixPlan(System.Collections.Immutable.ImmutableArray<FixKind>.Empty, token: CancellationTokenInScope.Find(operation, context.Scope.Member, analysis.Symbols))
            .WithOffload(offload, analysis.Settings.OffloadTarget(operation.Syntax.SyntaxTree), ExecutorPool.Compute);
}
