using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>The document's await style: a fix appends <c>.ConfigureAwait(false)</c> when every other await does.</summary>
internal static class AwaitStyle
{
    public static bool UsesConfigureAwaitFalse(SyntaxNode root)
    {
        var awaits = root.DescendantNodes().OfType<AwaitExpressionSyntax>().ToList();
        return awaits.Count > 0 && awaits.All(a =>
            a.Expression is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" },
                ArgumentList.Arguments: { Count: 1 } args,
            } && args[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression));
    }

    /// <summary><c>x</c> → <c>x.ConfigureAwait(false)</c>, unless it already is configured.</summary>
    public static ExpressionSyntax Configure(ExpressionSyntax awaited) =>
        awaited is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } }
            ? awaited
            : SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(awaited), SyntaxFactory.IdentifierName("ConfigureAwait")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression)))));

    /// <summary>Parentheses around an expression that would not bind tighter than a member access.</summary>
    public static ExpressionSyntax Parenthesize(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            or ParenthesizedExpressionSyntax or ThisExpressionSyntax or GenericNameSyntax or LiteralExpressionSyntax
            ? expression
            : SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia()).WithTriviaFrom(expression);
}
