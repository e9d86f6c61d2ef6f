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
        var awaitKeyword = SyntaxFactory.Token(target.GetLeadingTrivia(), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return target switch
        {
            UsingStatementSyntax u => u.WithoutLeadingTrivia().WithAwaitKeyword(awaitKeyword),
            LocalDeclarationStatementSyntax d => d.WithoutLeadingTrivia().WithAwaitKeyword(awaitKeyword),
            _ => target,
        };
    }
}
