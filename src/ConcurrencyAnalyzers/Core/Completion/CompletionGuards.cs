using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Guards and early exits that imply a task is complete: <c>if (t.IsCompleted) … t.Result</c>,
/// <c>if (!t.IsCompletedSuccessfully) return …; t.Result</c>, <c>t is { IsCompleted: true }</c>, a library's extension
/// method of the same name (<c>t.IsCompletedSuccessfully()</c>, for frameworks without the property),
/// <c>t.Status == TaskStatus.RanToCompletion</c>, <c>case TaskStatus.RanToCompletion:</c>, <c>if (t.Wait(timeout))</c>,
/// and <c>winner == t</c> for the task <c>Task.WhenAny</c> returned — about a variable or an element of one
/// (<c>if (pending[id].IsCompleted) … pending[id].Result</c>). Members are compared as symbols of the task types.
/// </summary>
internal static class CompletionGuards
{
    public static bool IsGuarded(IOperation use, TaskReference symbol, CompletedTaskAnalysis query)
    {
        var guard = FindGuard(use, symbol, query);
        if (guard is null)
            return false;
        // A write of the task, its collection or its index between the guard and the use undoes what the guard knew.
        foreach (var written in symbol.Symbols())
        {
            if (query.Index.IsWrittenBetween(written, guard.Syntax.SpanStart, use.Syntax.SpanStart))
                return false;
        }

        return true;
    }

    /// <summary>The guard or early exit that implies the task is complete at <paramref name="use"/>, if any.</summary>
    private static IOperation? FindGuard(IOperation use, TaskReference symbol, CompletedTaskAnalysis query)
    {
        IOperation child = use;
        foreach (var ancestor in use.Ancestors())
        {
            switch (ancestor)
            {
                case IConditionalOperation conditional when conditional.WhenTrue == child:
                    if (ImpliesComplete(conditional.Condition, symbol, whenTrue: true, query))
                        return conditional;
                    break;
                case IConditionalOperation conditional when conditional.WhenFalse == child:
                    if (ImpliesComplete(conditional.Condition, symbol, whenTrue: false, query))
                        return conditional;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when conjunction.RightOperand == child:
                    if (ImpliesComplete(conjunction.LeftOperand, symbol, whenTrue: true, query))
                        return conjunction;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when disjunction.RightOperand == child:
                    if (ImpliesComplete(disjunction.LeftOperand, symbol, whenTrue: false, query))
                        return disjunction;
                    break;
                case ISwitchCaseOperation switchCase when switchCase.Parent is ISwitchOperation @switch && IsStatusOf(@switch.Value, symbol, query):
                    if (switchCase.Clauses.All(c => c is ISingleValueCaseClauseOperation v && IsCompletedStatus(v.Value, query)))
                        return switchCase.Parent;
                    break;
                case ISwitchExpressionArmOperation arm when arm.Parent is ISwitchExpressionOperation switchExpression && arm.Value == child:
                    if (IsStatusOf(switchExpression.Value, symbol, query) && arm.Pattern is IConstantPatternOperation constant && IsCompletedStatus(constant.Value, query))
                        return switchExpression;
                    break;
                case IBlockOperation block:
                    if (EarlyExitBefore(block, child, symbol, query) is { } exit)
                        return exit;
                    break;
            }

            if (query.Scope.IsRoot(ancestor))
                break;
            child = ancestor;
        }

        return null;
    }

    private static IOperation? EarlyExitBefore(IBlockOperation block, IOperation statement, TaskReference symbol, CompletedTaskAnalysis query)
    {
        foreach (var previous in block.Operations)
        {
            if (previous == statement)
                break;
            switch (previous)
            {
                // if (!t.IsCompleted) return …;  /  if (!t.Wait(100)) throw …;
                case IConditionalOperation { WhenFalse: null } conditional when conditional.WhenTrue.AlwaysExits():
                    if (ImpliesComplete(conditional.Condition, symbol, whenTrue: false, query))
                        return conditional;
                    break;
                // while (!t.IsCompleted) { … }  (with no break out of it)
                case IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false, Condition: { } condition } loop:
                    if (ImpliesComplete(condition, symbol, whenTrue: false, query)
                        && !loop.Body.DescendantsAndSelf().OfType<IBranchOperation>().Any(b => b.BranchKind == BranchKind.Break && KnownSymbols.Eq(b.Target, loop.ExitLabel)))
                        return loop;
                    break;
            }
        }

        return null;
    }

    /// <summary>Whether the condition being <paramref name="whenTrue"/> means the task is complete.</summary>
    public static bool ImpliesComplete(IOperation condition, TaskReference symbol, bool whenTrue, CompletedTaskAnalysis query)
    {
        condition = condition.WalkDownConversions();
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return ImpliesComplete(not.Operand, symbol, !whenTrue, query);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when whenTrue:
                return ImpliesComplete(conjunction.LeftOperand, symbol, true, query) || ImpliesComplete(conjunction.RightOperand, symbol, true, query);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when !whenTrue:
                return ImpliesComplete(disjunction.LeftOperand, symbol, false, query) || ImpliesComplete(disjunction.RightOperand, symbol, false, query);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var equalWhen = comparison.OperatorKind == BinaryOperatorKind.Equals ? whenTrue : !whenTrue;
                return ComparisonImpliesComplete(comparison.LeftOperand, comparison.RightOperand, symbol, equalWhen, query)
                    || ComparisonImpliesComplete(comparison.RightOperand, comparison.LeftOperand, symbol, equalWhen, query)
                    || (equalWhen && IsWinnerComparison(comparison, symbol, query));
            case IPropertyReferenceOperation property when whenTrue:
                return IsCompletionProperty(property, symbol, query);
            case IInvocationOperation { TargetMethod: { IsExtensionMethod: true, ReturnType.SpecialType: SpecialType.System_Boolean, Parameters.Length: 1 } helper } extension
                when whenTrue && IsCompletionPropertyName(helper.Name) && extension.Arguments.Length == 1 && query.Tasks.IsTaskLike(helper.Parameters[0].Type):
                // task.IsCompletedSuccessfully() — a library's extension standing in for the property on older frameworks
                return symbol.Matches(extension.Arguments[0].Value.WalkDownConversions());
            case IInvocationOperation { TargetMethod.Name: "Wait", TargetMethod.ReturnType.SpecialType: SpecialType.System_Boolean } wait when whenTrue:
                return query.Tasks.IsTaskMember(wait.TargetMethod) && symbol.Matches(wait.Instance);
            case IIsPatternOperation isPattern when whenTrue:
                return PatternImpliesComplete(isPattern.Value, isPattern.Pattern, symbol, query);
            default:
                return false;
        }
    }

    /// <summary><c>winner == t</c> where <c>winner = await Task.WhenAny(…)</c>: the task that won is complete.</summary>
    private static bool IsWinnerComparison(IBinaryOperation comparison, TaskReference symbol, CompletedTaskAnalysis query)
    {
        var left = comparison.LeftOperand.WalkDownConversions();
        var right = comparison.RightOperand.WalkDownConversions();
        var other = symbol.Matches(left) ? right : symbol.Matches(right) ? left : null;
        return other is not null
            && (CompletedValues.IsCompletedValue(other, query)
                || (other.ReferencedSymbol() is ILocalSymbol winner && CompletedValues.IsOnlyAssignedCompletedValues(winner, query)));
    }

    private static bool ComparisonImpliesComplete(IOperation left, IOperation right, TaskReference symbol, bool whenEqual, CompletedTaskAnalysis query)
    {
        left = left.WalkDownConversions();
        if (left is IPropertyReferenceOperation property && IsCompletionProperty(property, symbol, query))
            return right.ConstantValue is { HasValue: true, Value: bool b } && b == whenEqual;
        return whenEqual && IsStatusOf(left, symbol, query) && IsCompletedStatus(right, query);
    }

    private static bool PatternImpliesComplete(IOperation value, IPatternOperation pattern, TaskReference symbol, CompletedTaskAnalysis query)
    {
        value = value.WalkDownConversions();
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                return (value is IPropertyReferenceOperation property && IsCompletionProperty(property, symbol, query) && constant.Value.ConstantValue is { HasValue: true, Value: true })
                    || (IsStatusOf(value, symbol, query) && IsCompletedStatus(constant.Value, query));
            case IRecursivePatternOperation recursive when symbol.Matches(value):
                foreach (var sub in recursive.PropertySubpatterns)
                {
                    if (sub.Member is not IPropertyReferenceOperation { Property: var member } || !query.Tasks.IsTaskMember(member))
                        continue;
                    if (IsCompletionPropertyName(member.Name) && sub.Pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: true } })
                        return true;
                    if (member.Name == "Status" && sub.Pattern is IConstantPatternOperation statusPattern && IsCompletedStatus(statusPattern.Value, query))
                        return true;
                }

                return false;
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either:
                return PatternImpliesComplete(value, either.LeftPattern, symbol, query) && PatternImpliesComplete(value, either.RightPattern, symbol, query);
            default:
                return false;
        }
    }

    private static bool IsCompletionPropertyName(string name) =>
        name is "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled";

    private static bool IsCompletionProperty(IPropertyReferenceOperation property, TaskReference symbol, CompletedTaskAnalysis query) =>
        IsCompletionPropertyName(property.Property.Name)
        && query.Tasks.IsTaskMember(property.Property)
        && symbol.Matches(property.Instance);

    private static bool IsStatusOf(IOperation operation, TaskReference symbol, CompletedTaskAnalysis query) =>
        operation.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Status" } status
        && query.Tasks.IsTaskMember(status.Property)
        && symbol.Matches(status.Instance);

    private static bool IsCompletedStatus(IOperation operation, CompletedTaskAnalysis query) =>
        operation.WalkDownConversions() is IFieldReferenceOperation { Field: { Name: "RanToCompletion" or "Faulted" or "Canceled" } field }
        && KnownSymbols.Eq(field.ContainingType, query.Tasks.TaskStatus);
}
