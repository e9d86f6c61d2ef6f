using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Makes a <c>Task</c>-returning function <c>async</c>: adds the modifier and rewrites its returns
/// (<c>return Task.CompletedTask;</c> → <c>return;</c>, <c>return Task.FromResult(x);</c> → <c>return x;</c>,
/// <c>return t;</c> → <c>return await t;</c> or <c>await t; return;</c>).
/// </summary>
internal static class AsyncConversion
{
    public static SyntaxNode MakeAsync(SyntaxNode function, bool returnsValue, bool configureAwait)
    {
        var body = AwaitPlacement.Body(function);
        if (body is ArrowExpressionClauseSyntax arrow)
        {
            function = RewriteExpressionBody(function, arrow.Expression, returnsValue, configureAwait);
        }
        else if (body is ExpressionSyntax lambdaExpression)
        {
            function = RewriteExpressionBody(function, lambdaExpression, returnsValue, configureAwait);
        }
        else if (body is BlockSyntax block)
        {
            var rewritten = RewriteReturns(block, returnsValue, configureAwait);
            function = function.ReplaceNode(block, rewritten);
        }

        return AddAsyncModifier(function);
    }

    private static SyntaxNode RewriteExpressionBody(SyntaxNode function, ExpressionSyntax expression, bool returnsValue, bool configureAwait)
    {
        if (returnsValue)
            return function.ReplaceNode(expression, Unwrapped(expression) ?? Await(expression, configureAwait));
        if (IsCompletedTask(expression))
        {
            // => Task.CompletedTask  becomes an empty block body.
            var emptyBlock = SyntaxFactory.Block().WithAdditionalAnnotations(Formatter.Annotation);
            return function switch
            {
                MethodDeclarationSyntax m => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(emptyBlock),
                LocalFunctionStatementSyntax l => l.WithExpressionBody(null).WithSemicolonToken(default).WithBody(emptyBlock),
                AnonymousFunctionExpressionSyntax a => a.ReplaceNode(expression, emptyBlock.WithTriviaFrom(expression)),
                _ => function,
            };
        }

        return function.ReplaceNode(expression, Await(expression, configureAwait));
    }

    private static BlockSyntax RewriteReturns(BlockSyntax body, bool returnsValue, bool configureAwait)
    {
        var returns = body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>()
            .Where(r => r.Expression is not null)
            .ToList();
        var rewritten = body.ReplaceNodes(returns, (original, current) =>
        {
            var expression = current.Expression!;
            if (returnsValue)
                return current.WithExpression(Unwrapped(expression) ?? Await(expression, configureAwait));
            var isLast = original.Parent == body && body.Statements.LastOrDefault() == original;
            if (IsCompletedTask(expression))
                return isLast ? EmptyStatementMarker(current) : current.WithExpression(null).WithReturnKeyword(current.ReturnKeyword.WithTrailingTrivia());
            var awaitStatement = SyntaxFactory.ExpressionStatement(Await(expression, configureAwait)).WithTriviaFrom(current);
            if (isLast)
                return awaitStatement;
            return SyntaxFactory.Block(awaitStatement, SyntaxFactory.ReturnStatement())
                .WithAdditionalAnnotations(Formatter.Annotation, UnwrapBlockAnnotation);
        });
        return FlattenMarkedBlocks(rewritten);
    }

    /// <summary>Marks a block that stands for two statements in its parent block; flattened after rewriting.</summary>
    private static readonly SyntaxAnnotation UnwrapBlockAnnotation = new("ConcurrencyAnalyzers.UnwrapBlock");

    private static readonly SyntaxAnnotation RemoveAnnotation = new("ConcurrencyAnalyzers.Remove");

    private static StatementSyntax EmptyStatementMarker(StatementSyntax statement) =>
        SyntaxFactory.EmptyStatement().WithTriviaFrom(statement).WithAdditionalAnnotations(RemoveAnnotation);

    private static BlockSyntax FlattenMarkedBlocks(BlockSyntax block)
    {
        foreach (var removed in block.GetAnnotatedNodes(RemoveAnnotation).ToList())
        {
            var current = block.GetAnnotatedNodes(RemoveAnnotation).First();
            var hasComment = current.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia));
            block = block.RemoveNode(current, (hasComment ? SyntaxRemoveOptions.KeepLeadingTrivia : SyntaxRemoveOptions.KeepNoTrivia) | SyntaxRemoveOptions.KeepUnbalancedDirectives) ?? block;
        }
        while (block.GetAnnotatedNodes(UnwrapBlockAnnotation).OfType<BlockSyntax>().FirstOrDefault(b => b.Parent is BlockSyntax) is { } marked)
            block = block.ReplaceNode(marked, marked.Statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)));

        return block;
    }

    private static ExpressionSyntax? Unwrapped(ExpressionSyntax expression)
    {
        // Task.FromResult(x) / ValueTask.FromResult(x) / new ValueTask<T>(x)
        if (expression is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromResult" },
                ArgumentList.Arguments: { Count: 1 } args,
            })
            return args[0].Expression.WithTriviaFrom(expression);
        return null;
    }

    private static bool IsCompletedTask(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask" }
            or LiteralExpressionSyntax { RawKind: (int)SyntaxKind.DefaultLiteralExpression }
            or DefaultExpressionSyntax;

    private static ExpressionSyntax Await(ExpressionSyntax expression, bool configureAwait) =>
        SyntaxFactory.AwaitExpression(configureAwait ? AwaitStyle.Configure(expression.WithoutTrivia()) : expression.WithoutTrivia())
            .WithTriviaFrom(expression);

    private static SyntaxNode AddAsyncModifier(SyntaxNode function)
    {
        switch (function)
        {
            case MethodDeclarationSyntax method:
                return method.Modifiers.Count == 0
                    ? method.WithReturnType(method.ReturnType.WithoutLeadingTrivia())
                        .WithModifiers(SyntaxFactory.TokenList(AsyncToken(method.ReturnType.GetLeadingTrivia())))
                    : method.WithModifiers(method.Modifiers.Add(AsyncToken(default)));
            case LocalFunctionStatementSyntax local:
                return local.Modifiers.Count == 0
                    ? local.WithReturnType(local.ReturnType.WithoutLeadingTrivia())
                        .WithModifiers(SyntaxFactory.TokenList(AsyncToken(local.ReturnType.GetLeadingTrivia())))
                    : local.WithModifiers(local.Modifiers.Add(AsyncToken(default)));
            case AnonymousFunctionExpressionSyntax lambda:
                var leading = lambda.GetLeadingTrivia();
                var stripped = lambda.WithoutLeadingTrivia();
                return ((AnonymousFunctionExpressionSyntax)stripped)
                    .WithModifiers(SyntaxFactory.TokenList(new[] { AsyncToken(leading) }.Concat(((AnonymousFunctionExpressionSyntax)stripped).Modifiers)));
            default:
                return function;
        }
    }

    private static SyntaxToken AsyncToken(SyntaxTriviaList leading) =>
        SyntaxFactory.Token(leading, SyntaxKind.AsyncKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
}
