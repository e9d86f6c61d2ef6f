using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Moves a blocking call off the async path: <c>M(args)</c> → <c>await ThreadExecutor.Blocking.RunAsync(() =&gt; M(args), token)</c>
/// (<c>Task.Run</c> when the plan targets the BCL); also a construction (<c>new T(…)</c>) or a getter read. Not possible
/// where the call cannot move into a lambda: it passes
/// <c>ref</c>/<c>out</c>/<c>in</c> arguments or ref-struct values, contains an <c>await</c>, is the tail of a <c>?.</c>
/// chain, or uses <c>this</c> of a struct (implicitly or not).
/// </summary>
internal sealed class OffloadCallRewrite : Rewrite
{
    public override FixKind Kind => FixKind.OffloadCall;

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, CancellationToken cancellationToken)
    {
        // A call, a construction with its type written, or a property/indexer read (CONC005's getters).
        if (target is not (InvocationExpressionSyntax or ObjectCreationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax or ElementAccessExpressionSyntax)
            || target is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax }
            || target.Parent is MemberBindingExpressionSyntax or ConditionalAccessExpressionSyntax)
            return false;
        var invocation = (ExpressionSyntax)target;
        var arguments = target switch
        {
            InvocationExpressionSyntax call => call.ArgumentList.Arguments,
            ObjectCreationExpressionSyntax creation => creation.ArgumentList?.Arguments ?? default,
            ElementAccessExpressionSyntax element => element.ArgumentList.Arguments,
            _ => default,
        };
        if (arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return false;
        if (invocation.DescendantNodesAndSelf().Any(n => n is AwaitExpressionSyntax))
            return false;
        if (model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken) is { IsStatic: false, ContainingType.TypeKind: TypeKind.Struct })
            return false; // a lambda in a struct cannot capture this (CS1673)
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
