using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary><c>async void M()</c> → <c>async Task M()</c>: the return type (the operand) becomes <c>Task</c>; the body is unchanged.</summary>
internal sealed class ReturnTaskRewrite : Rewrite
{
    public override FixKind Kind => FixKind.ReturnTask;

    public override bool NeedsAwait => false;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => NodeAtOperand<PredefinedTypeSyntax>(root, diagnostic);

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        target is PredefinedTypeSyntax { Keyword.ValueText: "void", Parent: MethodDeclarationSyntax or LocalFunctionStatementSyntax };

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task")
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)
            .WithTriviaFrom(target);
}
