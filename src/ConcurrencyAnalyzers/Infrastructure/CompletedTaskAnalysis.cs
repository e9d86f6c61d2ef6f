using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Decides whether a task is known to be complete where it is read, so that reading its result does not block:
/// after <c>await t</c> or <c>await Task.WhenAll(…)</c> over it, under an <c>IsCompleted</c>-style guard or early exit,
/// after <c>t.Wait(timeout)</c> returned true, inside its own <c>ContinueWith</c> continuation, and for
/// <c>Task.FromResult</c>/<c>Task.CompletedTask</c>-style values.
/// </summary>
internal static class CompletedTaskAnalysis
{
    private static readonly HashSet<string> CompletedFactories = new()
    {
        "FromResult", "FromException", "FromCanceled", "CompletedTask",
    };

    private static readonly HashSet<string> CompletionProperties = new()
    {
        "IsCompleted", "IsCompletedSuccessfully", "IsFaulted", "IsCanceled",
    };

    private static readonly HashSet<string> CompletedStatuses = new() { "RanToCompletion", "Faulted", "Canceled" };

    /// <param name="task">The task expression whose completion the use depends on.</param>
    /// <param name="use">The blocking read (<c>.Result</c>, <c>Wait()</c>, <c>GetResult()</c>).</param>
    /// <param name="context">The async context the use is in.</param>
    /// <param name="symbols">The compilation's known symbols.</param>
    public static bool IsKnownComplete(IOperation? task, IOperation use, AsyncContext context, KnownSymbols symbols)
    {
        if (task is null)
            return false;
        task = StripConfigureAwait(task.WalkDownConversions());
        if (IsCompletedValue(task, symbols))
            return true;

        var symbol = task.ReferencedSymbol();
        var roots = CollectionRoots(task, context);
        if (symbol is null && roots.Count == 0)
            return false;

        if (symbol is ILocalSymbol local && IsOnlyAssignedCompletedValues(local, context.Body, symbols))
            return true;
        if (symbol is IParameterSymbol parameter && IsContinuationAntecedent(parameter, use))
            return true;
        if (symbol is not null && IsGuarded(use, symbol, context, symbols))
            return true;
        return IsAwaitedBefore(symbol, roots, use, context, symbols);
    }

    private static IOperation StripConfigureAwait(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance }
            ? instance.WalkDownConversions()
            : operation;

    private static bool IsCompletedValue(IOperation operation, KnownSymbols symbols)
    {
        switch (operation)
        {
            case IInvocationOperation invocation when CompletedFactories.Contains(invocation.TargetMethod.Name):
                return symbols.IsTaskLike(invocation.TargetMethod.ContainingType);
            case IPropertyReferenceOperation property when CompletedFactories.Contains(property.Property.Name):
                return symbols.IsTaskLike(property.Property.ContainingType);
            case IDefaultValueOperation:
                return true; // default(ValueTask) and default(ValueTask<T>) are complete.
            case IObjectCreationOperation creation:
                // new ValueTask<T>(value) is complete; new ValueTask<T>(task) is only as complete as the task.
                return creation.Arguments.Length == 1
                    && !symbols.IsTaskLike(creation.Arguments[0].Value.WalkDownConversions().Type)
                    && KnownSymbols.Eq(creation.Type?.OriginalDefinition, symbols.ValueTaskOfT);
            case IAwaitOperation awaited:
                // await Task.WhenAny(…) returns a completed task.
                return awaited.Operation.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "WhenAny" } whenAny
                    && symbols.IsTaskLike(whenAny.TargetMethod.ContainingType);
            default:
                return false;
        }
    }

    /// <summary>A local whose every assignment is a completed value (<c>var t = Task.FromResult(1);</c>).</summary>
    private static bool IsOnlyAssignedCompletedValues(ILocalSymbol local, IOperation body, KnownSymbols symbols)
    {
        var sawValue = false;
        foreach (var operation in body.DescendantsAndSelf())
        {
            IOperation? value;
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when KnownSymbols.Eq(declarator.Symbol, local):
                    value = declarator.GetVariableInitializer()?.Value;
                    if (value is null)
                        continue;
                    break;
                case ISimpleAssignmentOperation assignment when KnownSymbols.Eq(assignment.Target.ReferencedSymbol(), local):
                    value = assignment.Value;
                    break;
                default:
                    if (IsWrittenOtherwise(operation, local))
                        return false;
                    continue;
            }

            if (!IsCompletedValue(StripConfigureAwait(value.WalkDownConversions()), symbols))
                return false;
            sawValue = true;
        }

        return sawValue;
    }

    private static bool IsWrittenOtherwise(IOperation operation, ISymbol symbol) =>
        operation switch
        {
            ICompoundAssignmentOperation c => KnownSymbols.Eq(c.Target.ReferencedSymbol(), symbol),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } a => KnownSymbols.Eq(a.Value.ReferencedSymbol(), symbol),
            IDeconstructionAssignmentOperation d => d.Target.DescendantsAndSelf().Any(t => KnownSymbols.Eq(t.ReferencedSymbol(), symbol)),
            _ => false,
        };

    /// <summary><c>t.ContinueWith(a =&gt; a.Result)</c>: the antecedent is complete inside its continuation.</summary>
    private static bool IsContinuationAntecedent(IParameterSymbol parameter, IOperation use)
    {
        if (parameter.Ordinal != 0 || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda)
            return false;
        foreach (var ancestor in use.Ancestors())
        {
            if (ancestor is IAnonymousFunctionOperation function && KnownSymbols.Eq(function.Symbol, lambda))
            {
                var parent = function.Parent;
                while (parent is IDelegateCreationOperation or IConversionOperation)
                    parent = parent.Parent;
                return parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "ContinueWith" } };
            }
        }

        return false;
    }

    /// <summary>
    /// The collections a task was taken from: <c>tasks[i]</c>, <c>tasks.First()</c>, <c>foreach (var t in tasks)</c>,
    /// <c>tasks.Select(t =&gt; t.Result)</c>. <c>await Task.WhenAll(tasks)</c> completes every one of them.
    /// </summary>
    private static List<ISymbol> CollectionRoots(IOperation task, AsyncContext context)
    {
        var roots = new List<ISymbol>();
        // Walk the receiver chain too: pair.Value.Result (pair from a lambda over lookups), entry.Task.Result.
        for (var current = (IOperation?)task; current is not null; current = Receiver(current))
            AddRootsOf(current, context, roots);
        return roots;
    }

    private static IOperation? Receiver(IOperation operation) =>
        operation switch
        {
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Instance?.WalkDownConversions(),
            IFieldReferenceOperation field => field.Instance?.WalkDownConversions(),
            _ => null,
        };

    private static void AddRootsOf(IOperation task, AsyncContext context, List<ISymbol> roots)
    {
        switch (task)
        {
            case IArrayElementReferenceOperation element:
                Add(element.ArrayReference.ReferencedSymbol());
                break;
            case IPropertyReferenceOperation { Arguments.Length: > 0 } indexer:
                Add(indexer.Instance.ReferencedSymbol());
                break;
            case IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } linq:
                Add(linq.Arguments[0].Value.ReferencedSymbol());
                break;
            case ILocalReferenceOperation local:
                foreach (var loop in context.Body.DescendantsAndSelf().OfType<IForEachLoopOperation>())
                {
                    if (loop.Locals.Contains(local.Local, SymbolEqualityComparer.Default))
                        Add(loop.Collection.ReferencedSymbol());
                }

                break;
            case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda }:
                foreach (var function in task.Ancestors().OfType<IAnonymousFunctionOperation>())
                {
                    if (!KnownSymbols.Eq(function.Symbol, lambda))
                        continue;
                    var parent = function.Parent;
                    while (parent is IDelegateCreationOperation or IConversionOperation)
                        parent = parent.Parent;
                    // tasks.Select(t => t.Result), names.Zip(tasks, (n, t) => t.Result): any sequence the call reads.
                    if (parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } call })
                    {
                        foreach (var argument in call.Arguments)
                            Add(argument.Value.ReferencedSymbol());
                    }

                    break;
                }

                break;
        }

        void Add(ISymbol? symbol)
        {
            if (symbol is not null)
                roots.Add(symbol);
        }
    }

    /// <summary>
    /// An earlier statement that completes the task — <c>await t</c>, <c>await Task.WhenAll(…)</c> over it, or the blocking
    /// <c>t.Wait()</c>/<c>Task.WaitAll(…)</c> (reported on their own; once fixed they become awaits) — not followed by a reassignment.
    /// </summary>
    private static bool IsAwaitedBefore(ISymbol? symbol, List<ISymbol> roots, IOperation use, AsyncContext context, KnownSymbols symbols)
    {
        var useStart = use.Syntax.SpanStart;
        foreach (var operation in context.Body.DescendantsAndSelf())
        {
            IOperation? completed = operation switch
            {
                IAwaitOperation awaited => StripConfigureAwait(awaited.Operation.WalkDownConversions()),
                IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Wait" or "WaitAll" } wait }
                    when wait.TargetMethod.ReturnsVoid && symbols.IsTaskLike(wait.TargetMethod.ContainingType) => wait,
                _ => null,
            };
            if (completed is null || operation.Syntax.SpanStart >= useStart || !IsOnPathTo(operation, use, context))
                continue;
            ISymbol? matched;
            if (completed is IInvocationOperation { TargetMethod.Name: "Wait" } wait2)
                matched = symbol is not null && KnownSymbols.Eq(wait2.Instance.ReferencedSymbol(), symbol) ? symbol : null;
            else if (symbol is not null && KnownSymbols.Eq(completed.ReferencedSymbol(), symbol))
                matched = symbol;
            else
                matched = MatchAll(completed, symbol, roots, symbols);
            if (matched is not null && !IsReassignedBetween(matched, operation, use, context.Body))
                return true;
        }

        return false;
    }

    private static ISymbol? MatchAll(IOperation operand, ISymbol? symbol, List<ISymbol> roots, KnownSymbols symbols)
    {
        if (operand is not IInvocationOperation { TargetMethod.Name: "WhenAll" or "WaitAll" } whenAll || !symbols.IsTaskLike(whenAll.TargetMethod.ContainingType))
            return null;
        foreach (var argument in whenAll.Arguments)
        {
            var value = argument.Value.WalkDownConversions();
            IEnumerable<IOperation> items = value is IArrayCreationOperation { Initializer: { } init } ? init.ElementValues : new[] { value };
            foreach (var item in items)
            {
                foreach (var referenced in MemberChain(item))
                {
                    if (KnownSymbols.Eq(referenced, symbol) || roots.Contains(referenced, SymbolEqualityComparer.Default))
                        return referenced;
                }
            }
        }

        return null;
    }

    /// <summary>The variables an expression reads along its receiver chain: <c>dict.Values</c> → Values, dict; <c>tasks.ToArray()</c> → tasks.</summary>
    private static IEnumerable<ISymbol> MemberChain(IOperation operation)
    {
        for (var current = (IOperation?)operation.WalkDownConversions(); current is not null;)
        {
            if (current.ReferencedSymbol() is { } referenced)
                yield return referenced;
            current = current switch
            {
                IPropertyReferenceOperation p => p.Instance?.WalkDownConversions(),
                IFieldReferenceOperation f => f.Instance?.WalkDownConversions(),
                IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } e => e.Arguments[0].Value.WalkDownConversions(),
                IInvocationOperation i => i.Instance?.WalkDownConversions(),
                _ => null,
            };
        }
    }

    /// <summary>The completing statement is in the same function as the use, or in an inline lambda around it.</summary>
    private static bool IsOnPathTo(IOperation completing, IOperation use, AsyncContext context)
    {
        foreach (var ancestor in completing.Ancestors())
        {
            if (ancestor is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return ancestor == context.FunctionOperation || ancestor.Contains(use);
        }

        return context.FunctionOperation is null;
    }

    private static bool IsReassignedBetween(ISymbol symbol, IOperation from, IOperation to, IOperation body)
    {
        var start = from.Syntax.Span.End;
        var end = to.Syntax.SpanStart;
        foreach (var operation in body.DescendantsAndSelf())
        {
            var position = operation.Syntax.SpanStart;
            if (position < start || position > end)
                continue;
            if (operation is ISimpleAssignmentOperation assignment && KnownSymbols.Eq(assignment.Target.ReferencedSymbol(), symbol))
                return true;
            if (IsWrittenOtherwise(operation, symbol))
                return true;
        }

        return false;
    }

    /// <summary>Guards and early exits: <c>if (t.IsCompleted) … t.Result</c>, <c>if (!t.IsCompleted) return …; t.Result</c>, switches on <c>t.Status</c>.</summary>
    private static bool IsGuarded(IOperation use, ISymbol symbol, AsyncContext context, KnownSymbols symbols)
    {
        IOperation child = use;
        foreach (var ancestor in use.Ancestors())
        {
            switch (ancestor)
            {
                case IConditionalOperation conditional when conditional.WhenTrue == child:
                    if (ImpliesComplete(conditional.Condition, symbol, whenTrue: true, context, symbols))
                        return true;
                    break;
                case IConditionalOperation conditional when conditional.WhenFalse == child:
                    if (ImpliesComplete(conditional.Condition, symbol, whenTrue: false, context, symbols))
                        return true;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when conjunction.RightOperand == child:
                    if (ImpliesComplete(conjunction.LeftOperand, symbol, whenTrue: true, context, symbols))
                        return true;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when disjunction.RightOperand == child:
                    if (ImpliesComplete(disjunction.LeftOperand, symbol, whenTrue: false, context, symbols))
                        return true;
                    break;
                case ISwitchCaseOperation switchCase when switchCase.Parent is ISwitchOperation @switch && IsStatusOf(@switch.Value, symbol):
                    if (switchCase.Clauses.All(c => c is ISingleValueCaseClauseOperation v && IsCompletedStatus(v.Value)))
                        return true;
                    break;
                case ISwitchExpressionArmOperation arm when arm.Parent is ISwitchExpressionOperation switchExpression && arm.Value == child:
                    if (IsStatusOf(switchExpression.Value, symbol) && arm.Pattern is IConstantPatternOperation constant && IsCompletedStatus(constant.Value))
                        return true;
                    break;
                case IBlockOperation block:
                    if (HasEarlyExitBefore(block, child, symbol, context, symbols))
                        return true;
                    break;
            }

            if (ancestor == context.Body || ancestor == context.FunctionOperation)
                break;
            child = ancestor;
        }

        return false;
    }

    private static bool HasEarlyExitBefore(IBlockOperation block, IOperation statement, ISymbol symbol, AsyncContext context, KnownSymbols symbols)
    {
        foreach (var previous in block.Operations)
        {
            if (previous == statement)
                break;
            switch (previous)
            {
                // if (!t.IsCompleted) return …;  /  if (!t.Wait(100)) throw …;
                case IConditionalOperation { WhenFalse: null } conditional when conditional.WhenTrue.AlwaysExits():
                    if (ImpliesComplete(conditional.Condition, symbol, whenTrue: false, context, symbols))
                        return true;
                    break;
                // while (!t.IsCompleted) { … }  (with no break out of it)
                case IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false, Condition: { } condition } loop:
                    if (ImpliesComplete(condition, symbol, whenTrue: false, context, symbols)
                        && !loop.Body.DescendantsAndSelf().OfType<IBranchOperation>().Any(b => b.BranchKind == BranchKind.Break && KnownSymbols.Eq(b.Target, loop.ExitLabel)))
                        return true;
                    break;
            }
        }

        return false;
    }

    /// <summary>Whether the condition being <paramref name="whenTrue"/> means the task is complete.</summary>
    private static bool ImpliesComplete(IOperation condition, ISymbol symbol, bool whenTrue, AsyncContext context, KnownSymbols symbols)
    {
        condition = condition.WalkDownConversions();
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return ImpliesComplete(not.Operand, symbol, !whenTrue, context, symbols);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when whenTrue:
                return ImpliesComplete(conjunction.LeftOperand, symbol, true, context, symbols) || ImpliesComplete(conjunction.RightOperand, symbol, true, context, symbols);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when !whenTrue:
                return ImpliesComplete(disjunction.LeftOperand, symbol, false, context, symbols) || ImpliesComplete(disjunction.RightOperand, symbol, false, context, symbols);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var equalWhen = comparison.OperatorKind == BinaryOperatorKind.Equals ? whenTrue : !whenTrue;
                return ComparisonImpliesComplete(comparison.LeftOperand, comparison.RightOperand, symbol, equalWhen)
                    || ComparisonImpliesComplete(comparison.RightOperand, comparison.LeftOperand, symbol, equalWhen)
                    || (equalWhen && IsWinnerComparison(comparison, symbol, context, symbols));
            case IPropertyReferenceOperation property when whenTrue:
                return IsCompletionProperty(property, symbol);
            case IInvocationOperation { TargetMethod.Name: "Wait", TargetMethod.ReturnType.SpecialType: SpecialType.System_Boolean } wait when whenTrue:
                return KnownSymbols.Eq(wait.Instance.ReferencedSymbol(), symbol);
            case IIsPatternOperation isPattern when whenTrue:
                return PatternImpliesComplete(isPattern.Value, isPattern.Pattern, symbol);
            default:
                return false;
        }
    }

    /// <summary><c>winner == t</c> where <c>winner = await Task.WhenAny(…)</c>: the task that won is complete.</summary>
    private static bool IsWinnerComparison(IBinaryOperation comparison, ISymbol symbol, AsyncContext context, KnownSymbols symbols)
    {
        var left = comparison.LeftOperand.WalkDownConversions();
        var right = comparison.RightOperand.WalkDownConversions();
        var other = KnownSymbols.Eq(left.ReferencedSymbol(), symbol) ? right : KnownSymbols.Eq(right.ReferencedSymbol(), symbol) ? left : null;
        return other is not null
            && (IsCompletedValue(other, symbols)
                || (other.ReferencedSymbol() is ILocalSymbol winner && IsOnlyAssignedCompletedValues(winner, context.Body, symbols)));
    }

    private static bool ComparisonImpliesComplete(IOperation left, IOperation right, ISymbol symbol, bool whenEqual)
    {
        left = left.WalkDownConversions();
        if (left is IPropertyReferenceOperation property && IsCompletionProperty(property, symbol))
            return right.ConstantValue is { HasValue: true, Value: bool b } && b == whenEqual;
        return whenEqual && IsStatusOf(left, symbol) && IsCompletedStatus(right);
    }

    private static bool PatternImpliesComplete(IOperation value, IPatternOperation pattern, ISymbol symbol)
    {
        value = value.WalkDownConversions();
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                return (value is IPropertyReferenceOperation property && IsCompletionProperty(property, symbol) && constant.Value.ConstantValue is { HasValue: true, Value: true })
                    || (IsStatusOf(value, symbol) && IsCompletedStatus(constant.Value));
            case IRecursivePatternOperation recursive when KnownSymbols.Eq(value.ReferencedSymbol(), symbol):
                foreach (var sub in recursive.PropertySubpatterns)
                {
                    if (sub.Member is IPropertyReferenceOperation { Property.Name: var name } && CompletionProperties.Contains(name)
                        && sub.Pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: true } })
                        return true;
                    if (sub.Member is IPropertyReferenceOperation { Property.Name: "Status" }
                        && sub.Pattern is IConstantPatternOperation statusPattern && IsCompletedStatus(statusPattern.Value))
                        return true;
                }

                return false;
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either:
                return PatternImpliesComplete(value, either.LeftPattern, symbol) && PatternImpliesComplete(value, either.RightPattern, symbol);
            default:
                return false;
        }
    }

    private static bool IsCompletionProperty(IPropertyReferenceOperation property, ISymbol symbol) =>
        CompletionProperties.Contains(property.Property.Name) && KnownSymbols.Eq(property.Instance.ReferencedSymbol(), symbol);

    private static bool IsStatusOf(IOperation operation, ISymbol symbol) =>
        operation.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Status" } status
        && KnownSymbols.Eq(status.Instance.ReferencedSymbol(), symbol);

    private static bool IsCompletedStatus(IOperation operation) =>
        operation.WalkDownConversions() is IFieldReferenceOperation { Field: { ContainingType.Name: "TaskStatus" } field }
        && CompletedStatuses.Contains(field.Name);
}
