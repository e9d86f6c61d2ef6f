using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Whether a task is known to be complete where it is read, so that reading its result does not block. The questions
/// are answered by small deciders over the function's <see cref="BodyIndex"/>: completed values
/// (<see cref="CompletedValues"/>), where the task came from (<see cref="TaskOrigins"/>), guards and early exits
/// (<see cref="CompletionGuards"/>), and earlier statements that completed it (<see cref="PriorCompletion"/>).
/// </summary>
internal sealed class CompletedTaskAnalysis
{
    public CompletedTaskAnalysis(ConcurrencyAnalysis analysis, FunctionScope scope)
    {
        Analysis = analysis;
        Scope = scope;
        Tasks = analysis.Symbols.Tasks;
        Index = analysis.IndexOf(scope.Body);
    }

    public ConcurrencyAnalysis Analysis { get; }

    public FunctionScope Scope { get; }

    public TaskSymbols Tasks { get; }

    public BodyIndex Index { get; }

    /// <param name="task">The task expression whose completion the use depends on.</param>
    /// <param name="use">The blocking read (<c>.Result</c>, <c>Wait()</c>, <c>GetResult()</c>).</param>
    public bool IsKnownComplete(IOperation? task, IOperation use)
    {
        if (task is null)
            return false;
        task = StripConfigureAwait(task.WalkDownConversions(), Tasks);
        if (CompletedValues.IsCompletedValue(task, this))
            return true;
        if (TaskOrigins.IsCompleteByOrigin(task, this))
            return true;

        var reference = TaskReference.Of(task);
        if (reference is { } guarded && CompletionGuards.IsGuarded(use, guarded, this))
            return true;
        if (task is ILocalReferenceOperation local && CompletedValues.IsOnlyAssignedCompletedValues(local.Local, this))
            return true;
        var roots = TaskOrigins.CollectionRoots(task, this);
        return (reference is not null || roots.Count > 0) && PriorCompletion.IsCompletedBefore(reference, roots, use, this);
    }

    /// <summary><c>t.ConfigureAwait(false)</c> → <c>t</c> (the task types' own <c>ConfigureAwait</c> only).</summary>
    public static IOperation StripConfigureAwait(IOperation operation, TaskSymbols tasks) =>
        operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance } configure
        && tasks.IsTaskMember(configure.TargetMethod)
            ? instance.WalkDownConversions()
            : operation;
}
