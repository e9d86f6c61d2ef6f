using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Values that are complete by construction: <c>Task.FromResult</c>/<c>FromException</c>/<c>FromCanceled</c>,
/// <c>Task.CompletedTask</c>, <c>default(ValueTask)</c>, <c>new ValueTask&lt;T&gt;(value)</c>, the task
/// <c>await Task.WhenAny(…)</c> returns, and locals only ever assigned such values.
/// </summary>
internal static class CompletedValues
{
    public static bool IsCompletedValue(IOperation operation, CompletedTaskAnalysis query)
    {
        var tasks = query.Tasks;
        switch (operation)
        {
            case IInvocationOperation { TargetMethod.Name: "FromResult" or "FromException" or "FromCanceled" } invocation:
                return invocation.TargetMethod.IsStatic && tasks.IsTaskMember(invocation.TargetMethod);
            case IPropertyReferenceOperation { Property.Name: "CompletedTask" } property:
                return property.Property.IsStatic && tasks.IsTaskMember(property.Property);
            case IDefaultValueOperation:
                return true; // default(ValueTask) and default(ValueTask<T>) are complete.
            case IObjectCreationOperation creation:
                // new ValueTask<T>(value) is complete; new ValueTask<T>(task) is only as complete as the task.
                return creation.Arguments.Length == 1
                    && !tasks.IsTaskLike(creation.Arguments[0].Value.WalkDownConversions().Type)
                    && KnownSymbols.Eq(creation.Type?.OriginalDefinition, tasks.ValueTaskOfT);
            case IAwaitOperation awaited:
                // await Task.WhenAny(…) (configured or not) returns a task that has completed.
                return CompletedTaskAnalysis.StripConfigureAwait(awaited.Operation.WalkDownConversions(), tasks) is IInvocationOperation { TargetMethod.Name: "WhenAny" } whenAny
                    && KnownSymbols.Eq(whenAny.TargetMethod.ContainingType, tasks.Task);
            default:
                return false;
        }
    }

    /// <summary>A local whose every write is a completed value (<c>var t = Task.FromResult(1);</c>, <c>var winner = await Task.WhenAny(…);</c>).</summary>
    public static bool IsOnlyAssignedCompletedValues(ILocalSymbol local, CompletedTaskAnalysis query)
    {
        var writes = query.Index.WritesOf(local);
        if (writes.Count == 0)
            return false;
        foreach (var write in writes)
        {
            if (write.Value is null || !IsCompletedValue(CompletedTaskAnalysis.StripConfigureAwait(write.Value.WalkDownConversions(), query.Tasks), query))
                return false;
        }

        return true;
    }
}
