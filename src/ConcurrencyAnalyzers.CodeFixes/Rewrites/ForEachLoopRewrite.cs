using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// <c>list.ForEach(async x =&gt; { … });</c> and <c>Array.ForEach(items, async x =&gt; …);</c> → <c>foreach (var x in list)
/// { … }</c> in the enclosing function, which the engine makes async: the awaits of the body now wait, item after item.
/// A <c>return;</c> of the body (the analyzer checked none is inside a loop or switch) becomes <c>continue;</c>.
/// </summary>
internal sealed class ForEachLoopRewrite : Rewrite
{
    public override FixKind Kind => FixKind.ForEachLoop;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) =>
        NodeAtOperand<InvocationExpressionSyntax>(root, diagnostic)?.Parent as ExpressionStatementSyntax;

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        target is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && Parts(call) is { } parts
        && parts.Lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var statement = (ExpressionStatementSyntax)target;
        var (source, lambda, parameter) = Parts((InvocationExpressionSyntax)statement.Expression)!.Value;
        StatementSyntax body = lambda.Block is { } block
            ? (StatementSyntax)block.ReplaceNodes(
                block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<ReturnStatementSyntax>(),
                (_, r) => SyntaxFactory.ContinueStatement().WithTriviaFrom(r))
            : SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(lambda.ExpressionBody!.WithoutTrivia()));
        var type = parameter.Type ?? SyntaxFactory.IdentifierName("var");
        return SyntaxFactory.ForEachStatement(type.WithoutTrivia(), parameter.Identifier.WithoutTrivia(), source.WithoutTrivia(), body.WithoutTrivia())
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>The collection, the lambda and its one parameter of <c>list.ForEach(lambda)</c> / <c>Array.ForEach(array, lambda)</c>.</summary>
    private static (ExpressionSyntax Source, LambdaExpressionSyntax Lambda, ParameterSyntax Parameter)? Parts(InvocationExpressionSyntax call)
    {
        if (call.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ForEach" } access)
            return null;
        var arguments = call.ArgumentList.Arguments;
        var (source, lambdaArgument) = arguments.Count switch
        {
            1 => (access.Expression, arguments[0]),
            2 => (arguments[0].Expression, arguments[1]),
            _ => (null, null),
        };
        if (source is null || lambdaArgument?.Expression is not LambdaExpressionSyntax lambda)
            return null;
        var parameter = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
            _ => null,
        };
        return parameter is null ? null : (source, lambda, parameter);
    }
}
