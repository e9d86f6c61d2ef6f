using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// <c>Task.Run(work[, token])</c> → <c>ThreadExecutor.Blocking.RunAsync(work[, token])</c>: the same delegate and token
/// on the runtime's dedicated blocking threads, off the shared pool. The target is the <c>Task.Run</c> call (the
/// diagnostic's operand), so every blocking call in one delegate is fixed by one edit.
/// </summary>
internal sealed class BlockingExecutorRewrite : Rewrite
{
    public override FixKind Kind => FixKind.RunOnBlockingExecutor;

    public override bool NeedsAwait => false;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => NodeAtOperand<InvocationExpressionSyntax>(root, diagnostic);

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        target is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Run" } };

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var run = (InvocationExpressionSyntax)target;
        var executor = SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, QualifiedName("ConcurrencyAnalyzers.Runtime.ThreadExecutor", addImport: true), SyntaxFactory.IdentifierName("Blocking")),
            SyntaxFactory.IdentifierName("RunAsync"));
        return run.WithExpression(executor.WithTriviaFrom(run.Expression));
    }
}
