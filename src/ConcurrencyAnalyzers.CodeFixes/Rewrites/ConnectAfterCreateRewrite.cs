using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// <c>var c = new TcpClient(host, port);</c> → <c>var c = new TcpClient();</c> and <c>await c.ConnectAsync(host, port, token);</c>
/// on the next line. Only where the creation initializes the one local of a declaration in a block: elsewhere (a field,
/// an argument, a <c>using (…)</c> statement) there is no line to connect on before the object is used, so no fix.
/// </summary>
internal sealed class ConnectAfterCreateRewrite : Rewrite
{
    public override FixKind Kind => FixKind.ConnectAfterCreate;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) =>
        base.FindTarget(root, diagnostic) is BaseObjectCreationExpressionSyntax
        {
            Parent: EqualsValueClauseSyntax
            {
                Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax or SwitchSectionSyntax } statement } },
            },
        }
            ? statement
            : null;

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        plan.Name is not null
        && Creation(target) is { ArgumentList.Arguments: var arguments }
        && arguments.All(a => a.NameColon is null && a.RefKindKeyword.IsKind(SyntaxKind.None));

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context) => ApplyMany(target, context)[0];

    public override IReadOnlyList<SyntaxNode> ApplyMany(SyntaxNode target, RewriteContext context)
    {
        var statement = (LocalDeclarationStatementSyntax)target;
        var creation = Creation(statement)!;
        var declarator = statement.Declaration.Variables[0];
        var unconnected = statement.ReplaceNode(creation, creation.WithArgumentList(SyntaxFactory.ArgumentList().WithTriviaFrom(creation.ArgumentList!)));

        var arguments = creation.ArgumentList!.WithoutTrivia();
        if (context.Plan.Token is not null && context.Plan.TwinTakesToken)
            arguments = arguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(context.Plan.Token)));
        ExpressionSyntax connect = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(declarator.Identifier.WithoutTrivia()), SyntaxFactory.IdentifierName(context.Plan.Name!)),
            arguments);
        if (context.ConfigureAwait)
            connect = AwaitStyle.Configure(connect);
        var connectStatement = SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(connect))
            .WithLeadingTrivia(statement.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithTrailingTrivia(statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        return new SyntaxNode[] { unconnected, connectStatement };
    }

    private static BaseObjectCreationExpressionSyntax? Creation(SyntaxNode target) =>
        target is LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } && variables[0].Initializer?.Value is BaseObjectCreationExpressionSyntax creation
            ? creation
            : null;
}
