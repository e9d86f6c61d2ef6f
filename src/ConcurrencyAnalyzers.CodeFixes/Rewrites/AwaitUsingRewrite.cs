using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary><c>using</c> → <c>await using</c>; the statement or declaration is the diagnostic's operand.</summary>
internal sealed class AwaitUsingRewrite : Rewrite
{
    public override FixKind Kind => FixKind.AwaitUsing;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
            .FirstAncestorOrSelf<SyntaxNode>(n => n is UsingStatementSyntax or LocalDeclarationStatementSyntax);

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        if (context.Plan.Name is { } sibling)
            target = WithSibling(target, sibling); // using var scope = s.CreateScope() → await using var scope = s.CreateAsyncScope()
        var awaitKeyword = SyntaxFactory.Token(target.GetLeadingTrivia(), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return target switch
        {
            UsingStatementSyntax u => u.WithoutLeadingTrivia().WithAwaitKeyword(awaitKeyword),
            LocalDeclarationStatementSyntax d => d.WithoutLeadingTrivia().WithAwaitKeyword(awaitKeyword),
            _ => target,
        };
    }

    /// <summary>The resource's call renamed to its sibling (the plan names it; the declaration is <c>var</c>, so its type follows).</summary>
    private static SyntaxNode WithSibling(SyntaxNode target, string sibling)
    {
        var declaration = target switch
        {
            UsingStatementSyntax u => u.Declaration,
            LocalDeclarationStatementSyntax d => d.Declaration,
            _ => null,
        };
        if (declaration is not { Variables.Count: 1 } || declaration.Variables[0].Initializer?.Value is not InvocationExpressionSyntax call)
            return target;
        ExpressionSyntax? renamed = call.Expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(SyntaxFactory.IdentifierName(sibling).WithTriviaFrom(access.Name)),
            IdentifierNameSyntax name => SyntaxFactory.IdentifierName(sibling).WithTriviaFrom(name),
            _ => null,
        };
        return renamed is null ? target : target.ReplaceNode(call.Expression, renamed);
    }
}
