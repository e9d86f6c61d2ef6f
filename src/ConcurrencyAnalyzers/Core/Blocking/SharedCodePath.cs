using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The shared sync/async code path, in the forms library code writes it. A condition reads an <em>async flag</em> — a
/// <c>bool</c> parameter, or a <c>bool</c> field, property or local whose name says async or sync (<c>_async</c>,
/// <c>IsAsync</c>, <c>context.IsSynchronous</c>), or a comparison with an enum member whose name says so
/// (<c>ioBehavior == IOBehavior.Asynchronous</c>, <c>mode is Mode.Synchronous</c>) — anywhere in it (compound and negated
/// guards count), and the operation
/// is on the synchronous side:
/// <list type="bullet">
/// <item>in the arm the flag names as synchronous (<c>if (!async) …</c>, <c>if (context.IsSynchronous &amp;&amp; !t.IsCompleted) …</c>);</item>
/// <item>in one arm of an <c>if</c>/<c>?:</c> whose other arm is the async path (<c>if (async) await s.ReadAsync(…); else s.Read(…);</c>,
/// <c>async ? ReadAsync(…) : new(Read(…))</c>);</item>
/// <item>in an arm that always exits while the async path follows the <c>if</c> (<c>if (!async) return new(Read(r)); …await…</c>);</item>
/// <item>after an <c>if</c> without <c>else</c> whose arm is the async path and always exits (<c>if (async) return WriteAsync(…); Write(…);</c>).</item>
/// </list>
/// The async path awaits, or calls something that returns an awaitable (the returned <c>ValueTask</c>, an
/// <c>IsCompletedSuccessfully</c> fast path). A synchronous call under a condition on something else is not exempt.
/// </summary>
internal static class SharedCodePath
{
    public static bool IsSynchronousBranch(IOperation operation, FunctionScope scope, TaskSymbols tasks)
    {
        IOperation child = operation;
        foreach (var ancestor in operation.Ancestors())
        {
            switch (ancestor)
            {
                case IConditionalOperation conditional when conditional.Condition != child && ReadsAsyncFlag(conditional.Condition):
                    // The arm a flag names as synchronous: if (!async) …, if (context.IsSynchronous && …) …
                    if (ImpliesSynchronousMode(conditional.Condition, whenTrue: conditional.WhenTrue == child))
                        return true;
                    var other = conditional.WhenTrue == child ? conditional.WhenFalse : conditional.WhenTrue;
                    if (other is not null ? IsAsyncPath(other, tasks) : child.AlwaysExits() && Following(conditional).Any(s => IsAsyncPath(s, tasks)))
                        return true;
                    break;
                case IBlockOperation block:
                    foreach (var previous in block.Operations)
                    {
                        if (previous == child)
                            break;
                        if (previous is IConditionalOperation { WhenFalse: null } guard && ReadsAsyncFlag(guard.Condition)
                            && guard.WhenTrue.AlwaysExits() && IsAsyncPath(guard.WhenTrue, tasks))
                            return true;
                    }

                    break;
            }

            if (scope.IsRoot(ancestor))
                return false;
            child = ancestor;
        }

        return false;
    }

    private static IEnumerable<IOperation> Following(IOperation statement)
    {
        if (statement.Parent is not IBlockOperation block)
            yield break;
        var after = false;
        foreach (var operation in block.Operations)
        {
            if (after)
                yield return operation;
            after |= operation == statement;
        }
    }

    /// <summary>
    /// Whether the condition being <paramref name="whenTrue"/> says the code runs in synchronous mode: an async flag
    /// that is false (<c>!async</c>, <c>!_isAsync</c>) or a sync flag that is true (<c>IsSynchronous</c>, <c>sync</c>),
    /// alone or in a conjunction. A plain <c>bool</c> parameter of another name says nothing by itself.
    /// </summary>
    private static bool ImpliesSynchronousMode(IOperation condition, bool whenTrue)
    {
        condition = condition.WalkDownConversions();
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return ImpliesSynchronousMode(not.Operand, !whenTrue);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when whenTrue:
                return ImpliesSynchronousMode(conjunction.LeftOperand, true) || ImpliesSynchronousMode(conjunction.RightOperand, true);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when !whenTrue:
                return ImpliesSynchronousMode(disjunction.LeftOperand, false) || ImpliesSynchronousMode(disjunction.RightOperand, false);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison when ModeMember(comparison) is { } member:
                // mode == IOBehavior.Synchronous, mode != Mode.Asynchronous
                whenTrue = comparison.OperatorKind == BinaryOperatorKind.Equals ? whenTrue : !whenTrue;
                return IsSyncName(member) ? whenTrue : (IsAsyncName(member) && !whenTrue);
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant } when EnumMemberName(constant.Value) is { } member:
                return IsSyncName(member) ? whenTrue : (IsAsyncName(member) && !whenTrue);
            default:
                return FlagName(condition) is { } name && (IsSyncName(name) ? whenTrue : (IsAsyncName(name) && !whenTrue));
        }
    }

    /// <summary>The enum member a comparison tests for, when its name says sync or async (<c>IOBehavior.Synchronous</c>).</summary>
    private static string? ModeMember(IBinaryOperation comparison) =>
        EnumMemberName(comparison.RightOperand) ?? EnumMemberName(comparison.LeftOperand);

    private static string? EnumMemberName(IOperation operand) =>
        operand.WalkDownConversions() is IFieldReferenceOperation { Field: { IsConst: true, ContainingType.TypeKind: TypeKind.Enum } field }
        && (IsSyncName(field.Name) || IsAsyncName(field.Name))
            ? field.Name
            : null;

    private static string? FlagName(IOperation operation) =>
        operation switch
        {
            IParameterReferenceOperation { Parameter: { Type.SpecialType: SpecialType.System_Boolean } p } => p.Name,
            IFieldReferenceOperation { Field: { Type.SpecialType: SpecialType.System_Boolean } f } => f.Name,
            IPropertyReferenceOperation { Property: { Type.SpecialType: SpecialType.System_Boolean } p } => p.Name,
            ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } l } => l.Name,
            _ => null,
        };

    /// <summary>A name that says async (<c>async</c>, <c>doAsync</c>, <c>_isAsync</c>): an async flag's.</summary>
    internal static bool IsAsyncName(string name) => name.IndexOf("async", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary><c>IsSynchronous</c>, <c>sync</c>, <c>_runSynchronously</c> — but not a name that says async.</summary>
    private static bool IsSyncName(string name) =>
        !IsAsyncName(name) && name.IndexOf("sync", StringComparison.OrdinalIgnoreCase) >= 0 && name.IndexOf("synchroniz", StringComparison.OrdinalIgnoreCase) < 0;

    private static bool IsAsyncPath(IOperation path, TaskSymbols tasks) =>
        path.DescendantsAndSelf().Any(o => o is IAwaitOperation || (o is IInvocationOperation call && tasks.IsTaskLike(call.TargetMethod.ReturnType)));

    /// <summary>Any <c>bool</c> parameter, or a <c>bool</c> field, property or local whose name says async or sync.</summary>
    private static bool ReadsAsyncFlag(IOperation condition) =>
        condition.DescendantsAndSelf().Any(o => (FlagName(o) is { } name && (o is IParameterReferenceOperation || IsAsyncName(name) || IsSyncName(name)))
            || (o is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison && ModeMember(comparison) is not null)
            || (o is IIsPatternOperation { Pattern: IConstantPatternOperation constant } && EnumMemberName(constant.Value) is not null));
}
