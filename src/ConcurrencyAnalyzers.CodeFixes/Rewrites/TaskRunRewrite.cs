using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// CONC032's two rewrites of a <c>StartNew</c> whose delegate returns a task (the operand is the call):
/// <c>Task.Factory.StartNew(work[, token])</c> → <c>Task.Run(work[, token])</c> (<see cref="FixKind.TaskRun"/>), and
/// <c>factory.StartNew(work, …)</c> → <c>factory.StartNew(work, …).Unwrap()</c> (<see cref="FixKind.Unwrap"/>), which keeps
/// the options, the scheduler and the state object.
/// </summary>
internal sealed class TaskRunRewrite : Rewrite
{
    public TaskRunRewrite(FixKind kind) => Kind = kind;

    public override FixKind Kind { get; }

    public override bool NeedsAwait => false;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => NodeAtOperand<InvocationExpressionSyntax>(root, diagnostic);

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        target is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "StartNew" } };

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var call = (InvocationExpressionSyntax)target;
        if (Kind == FixKind.TaskRun)
        {
            var run = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, QualifiedName("System.Threading.Tasks.Task", addImport: false), SyntaxFactory.IdentifierName("Run"));
            return call.WithExpression(run.WithTriviaFrom(call.Expression));
        }

        var unwrap = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, call.WithoutTrivia(), SyntaxFactory.IdentifierName("Unwrap")));
        return unwrap.WithTriviaFrom(call);
    }
}
