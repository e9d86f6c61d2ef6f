using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary><c>t.Wait()</c>, <c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c> → <c>await t</c>; the task is the diagnostic's operand.</summary>
internal sealed class AwaitTaskRewrite : Rewrite
{
    public override FixKind Kind => FixKind.AwaitTask;

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        operand is ExpressionSyntax && target.Span.Contains(operand.Span) && target != operand;

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context) =>
        context.Operand is ExpressionSyntax task ? Await(task, context.ConfigureAwait, target) : target;
}
