using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The edit that awaits one blocking call where it stands, as part of a larger rewrite that makes its function async
/// (a <c>Parallel</c> loop's body, a thread's start delegate): the async twin, <c>Task.Delay</c>, and for a thread's body
/// <c>WaitOneAsync</c>. With <paramref name="bodyToken"/> the async function will have a token of its own, so a twin
/// that takes one is preferred. Each edit is relative to the start of the larger construct.
/// </summary>
internal static class AwaitableEdit
{
    /// <summary>
    /// <c>t.Wait()</c>, <c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c> whose task is the receiver written before it: the
    /// edit awaits that receiver (<see cref="TaskOperandOf"/> in the fixes finds it again from the syntax).
    /// </summary>
    private static bool IsAwaitableWait(BlockingOperation blocking) =>
        blocking.Operand is { } task && blocking.Operation.Syntax is ExpressionSyntax wait && TaskOperandOf(wait) == task.Syntax;

    /// <summary>The task a wait is written on: <c>X</c> of <c>X.Wait()</c>, <c>X.Result</c>, <c>X.GetAwaiter().GetResult()</c>.</summary>
    public static SyntaxNode? TaskOperandOf(ExpressionSyntax wait) =>
        wait switch
        {
            InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetResult", Expression: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } awaiter } } } => awaiter.Expression,
            InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } waitCall } => waitCall.Expression,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result.Expression,
            _ => null,
        };

    /// <summary>The wait is in a <c>try</c> block (of the function) with a <c>catch (AggregateException)</c>.</summary>
    private static bool CaughtAsAggregate(SyntaxNode wait, SyntaxNode function)
    {
        for (var node = wait; node is not null && node != function; node = node.Parent)
        {
            if (node.Parent is TryStatementSyntax tryStatement && tryStatement.Block == node
                && tryStatement.Catches.Any(c => c.Declaration?.Type is { } type && type.ToString().EndsWith("AggregateException", System.StringComparison.Ordinal)))
                return true;
        }

        return false;
    }

    public static InnerEdit? Of(BlockingOperation blocking, SyntaxNode construct, SyntaxNode function, FunctionScope scope, ConcurrencyAnalysis analysis, bool waitOne, bool bodyToken)
    {
        if (blocking.Plan is not { } plan || plan.Fixes.IsEmpty || !(plan.Fixes[0] is FixKind.AwaitTwin or FixKind.Delay || (waitOne && plan.Fixes[0] is FixKind.WaitOneAsync or FixKind.AwaitTask)))
            return null;
        if (blocking.Location.SourceTree != construct.SyntaxTree)
            return null;
        if (plan.Fixes[0] == FixKind.AwaitTask && !IsAwaitableWait(blocking))
            return null;
        var call = blocking.Operation as IInvocationOperation;
        if (call is null && plan.Fixes[0] != FixKind.AwaitTask)
            return null;
        if (bodyToken && call is not null && plan.Fixes[0] == FixKind.AwaitTwin && !plan.TwinTakesToken
            && analysis.Twins.Find(call, scope, plan.Name, AsyncTwinFinder.NoTokenText) is { ForwardsToken: true } withToken)
        {
            // No token where the call is, but the async body will have one: the overload that takes it.
            plan = FixPlan.AwaitTwin(withToken, token: null).WithNullFallback(plan.NullFallback);
        }

        // The await lands in the function itself: not in a lambda inside it, a lock, a query or a catch filter.
        for (var node = blocking.Operation.Syntax.Parent; node is not null && node != function; node = node.Parent)
        {
            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or LockStatementSyntax or QueryExpressionSyntax
                or UnsafeStatementSyntax or FixedStatementSyntax or CatchFilterClauseSyntax)
                return null;
        }

        if (plan.Fixes[0] == FixKind.AwaitTask && CaughtAsAggregate(blocking.Operation.Syntax, function))
            return null; // await throws the task's own exception: a catch of the AggregateException a wait throws would miss it

        var span = plan.Fixes[0] == FixKind.AwaitTask ? blocking.Operation.Syntax.Span : blocking.Location.SourceSpan;
        return new InnerEdit(span.Start - construct.SpanStart, span.Length, plan.WithFixes(ImmutableArray.Create(plan.Fixes[0])));
    }
}
