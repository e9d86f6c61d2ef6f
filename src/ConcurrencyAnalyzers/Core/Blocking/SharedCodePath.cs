using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The shared sync/async code path: <c>if (async) await s.ReadAsync(…); else s.Read(…);</c> and
/// <c>async ? await A(…) : B(…)</c> on a <c>bool</c> flag parameter. The synchronous branch is deliberate.
/// </summary>
internal static class SharedCodePath
{
    public static bool IsSynchronousBranch(IOperation operation, FunctionScope scope)
    {
        IOperation child = operation;
        foreach (var ancestor in operation.Ancestors())
        {
            if (ancestor is IConditionalOperation conditional && conditional.Condition != child)
            {
                var other = conditional.WhenTrue == child ? conditional.WhenFalse : conditional.WhenTrue;
                if (other is not null
                    && ReadsBoolParameter(conditional.Condition)
                    && other.DescendantsAndSelf().OfType<IAwaitOperation>().Any())
                    return true;
            }

            if (scope.IsRoot(ancestor))
                return false;
            child = ancestor;
        }

        return false;
    }

    private static bool ReadsBoolParameter(IOperation condition) =>
        condition.DescendantsAndSelf().OfType<IParameterReferenceOperation>()
            .Any(p => p.Parameter.Type.SpecialType == SpecialType.System_Boolean);
}
