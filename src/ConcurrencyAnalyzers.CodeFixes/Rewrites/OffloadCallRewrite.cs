using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Moves a blocking call off the async path: <c>M(args)</c> → <c>await ThreadExecutor.Blocking.RunAsync(() =&gt; M(args), token)</c>
/// (the compute pool for CPU work; <c>Task.Run</c> when the plan targets the BCL). Not possible when the call passes
/// <c>ref</c>/<c>out</c>/<c>in</c> arguments or ref-struct values, which a lambda cannot capture.
/// </summary>
internal sealed class OffloadCallRewrite : Rewrite
{
    public override FixKind Kind => FixKind.OffloadCall;

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, CancellationToken cancellationToken)
    {
        if (target is not InvocationExpressionSyntax invocation)
            return false;
        if (invocation.ArgumentList.Arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return false;
        return !invocation.DescendantNodesAndSelf().OfType<ExpressionSyntax>()
            .Any(e => model.GetTypeInfo(e, cancellationToken).Type is { IsRefLikeType: true });
    }

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var call = (ExpressionSyntax)target;
        var lambda = SyntaxFactory.ParenthesizedLambdaExpression(call.WithoutTrivia());
        return Await(Submit(lambda, context.Plan), context.ConfigureAwait, target);
    }

    /// <summary><c>ThreadExecutor.&lt;Pool&gt;.RunAsync(work[, token])</c>, or <c>Task.Run(work[, token])</c> for the BCL target.</summary>
    public static InvocationExpressionSyntax Submit(LambdaExpressionSyntax work, FixPlan plan)
    {
        ExpressionSyntax runner = plan.Target == OffloadTarget.Bcl
            ? SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, QualifiedName("System.Threading.Tasks.Task", addImport: false), SyntaxFactory.IdentifierName("Run"))
            : SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, QualifiedName("ConcurrencyAnalyzers.Runtime.ThreadExecutor", addImport: true), SyntaxFactory.IdentifierName(plan.Pool.ToString())),
                SyntaxFactory.IdentifierName("RunAsync"));
        var arguments = SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(work) });
        if (plan.Token is not null)
            arguments = arguments.Add(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(plan.Token)));
        return SyntaxFactory.InvocationExpression(runner, SyntaxFactory.ArgumentList(arguments));
    }
}
