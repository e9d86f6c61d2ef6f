using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// <c>Task.Run(() =&gt; File.ReadAllText(p))</c> → <c>File.ReadAllTextAsync(p, token)</c>: the twin's awaitable takes the
/// task's place, so an <c>await</c> around it (or a <c>return</c>) stays as it is; <c>.AsTask()</c> when a
/// <c>ValueTask</c> twin must stay a <c>Task</c>. The operand is the inner call, or the method group.
/// </summary>
internal sealed class UnwrapTaskRunRewrite : Rewrite
{
    public override FixKind Kind => FixKind.UnwrapTaskRun;

    public override bool NeedsAwait => false;

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        plan.Name is not null && target is InvocationExpressionSyntax
        && operand is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or SimpleNameSyntax } or MemberAccessExpressionSyntax or IdentifierNameSyntax;

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var plan = context.Plan;
        // A method group (Task.Run(reader.ReadToEnd)) is called with no arguments.
        var call = context.Operand as InvocationExpressionSyntax
            ?? SyntaxFactory.InvocationExpression(((ExpressionSyntax)context.Operand!).WithoutTrivia(), SyntaxFactory.ArgumentList());
        var arguments = CallRewrite.TwinArguments(call.ArgumentList, plan);
        if (plan.Token is not null && plan.TwinTakesToken)
            arguments = arguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(plan.Token)));
        ExpressionSyntax callee = call.Expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(CallRewrite.Rename(access.Name, plan.Name!)),
            SimpleNameSyntax simple => CallRewrite.Rename(simple, plan.Name!),
            _ => call.Expression,
        };
        ExpressionSyntax twin = call.WithExpression(callee).WithArgumentList(arguments).WithoutTrivia();
        if (plan.AsTask)
            twin = SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, twin, SyntaxFactory.IdentifierName("AsTask")));
        return twin.WithTriviaFrom(target);
    }
}
