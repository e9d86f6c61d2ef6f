using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Wraps a range of statements of one block in <c>await ThreadExecutor.Compute.RunAsync(() =&gt; { … }, token)</c>,
/// keeping the values it assigns: variables declared in the range and read after it come back as the lambda's result
/// (<c>var x = await …</c>, or a tuple <c>var (a, b) = await …</c>); variables declared before it are captured and
/// assigned in place. Not possible when the range awaits, yields, returns or jumps out, declares or uses
/// <c>ref</c> locals, ref-struct values or <c>ref</c>/<c>out</c>/<c>in</c> parameters, or uses <c>this</c> of a struct —
/// a lambda cannot hold any of them.
/// </summary>
internal static class OffloadStatementsRewrite
{
    /// <summary>The statements that replace <paramref name="statements"/>, or <see langword="null"/> when the range cannot be offloaded.</summary>
    public static ImmutableArray<StatementSyntax>? TryRewrite(IReadOnlyList<StatementSyntax> statements, SemanticModel model, FixPlan plan, bool configureAwait, CancellationToken cancellationToken)
    {
        if (statements.Count == 0 || statements[0].Parent is not BlockSyntax block || statements.Any(s => s.Parent != block))
            return null;
        var first = statements[0];
        var last = statements[statements.Count - 1];
        if (!CanOffload(statements, model, cancellationToken))
            return null;
        var flow = model.AnalyzeDataFlow(first, last);
        var control = model.AnalyzeControlFlow(first, last);
        if (flow is null || !flow.Succeeded || control is null || !control.Succeeded || control.ExitPoints.Length > 0 || !control.EndPointIsReachable)
            return null;
        if (flow.ReadInside.Concat(flow.WrittenInside).Any(IsUncapturable))
            return null;
        // A variable declared before the range, first assigned inside it and read after it: the compiler cannot see
        // through the lambda that it is assigned (CS0165). Not offered.
        if (flow.WrittenInside.Any(v => !flow.VariablesDeclared.Contains(v, SymbolEqualityComparer.Default)
                && flow.ReadOutside.Contains(v, SymbolEqualityComparer.Default)
                && !flow.DefinitelyAssignedOnEntry.Contains(v, SymbolEqualityComparer.Default)))
            return null;

        // Declared in the range and read after it: returned from the lambda.
        var kept = flow.VariablesDeclared
            .Where(v => flow.ReadOutside.Contains(v, SymbolEqualityComparer.Default) || flow.WrittenOutside.Contains(v, SymbolEqualityComparer.Default))
            .OrderBy(v => v.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();
        if (kept.Any(v => v is ILocalSymbol { IsRef: true } || v is ILocalSymbol { IsConst: true }))
            return null;

        var body = new List<StatementSyntax>(statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)));
        if (kept.Count == 1)
            body.Add(SyntaxFactory.ReturnStatement(SyntaxFactory.IdentifierName(kept[0].Name)));
        else if (kept.Count > 1)
            body.Add(SyntaxFactory.ReturnStatement(SyntaxFactory.TupleExpression(SyntaxFactory.SeparatedList(kept.Select(v => SyntaxFactory.Argument(SyntaxFactory.IdentifierName(v.Name)))))));
        var lambda = SyntaxFactory.ParenthesizedLambdaExpression(SyntaxFactory.Block(body));
        ExpressionSyntax awaitExpression = SyntaxFactory.AwaitExpression(configureAwait
            ? AwaitStyle.Configure(OffloadCallRewrite.Submit(lambda, plan))
            : OffloadCallRewrite.Submit(lambda, plan));

        StatementSyntax replacement = kept.Count switch
        {
            0 => SyntaxFactory.ExpressionStatement(awaitExpression),
            1 => SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(kept[0].Name).WithInitializer(SyntaxFactory.EqualsValueClause(awaitExpression))))),
            _ => SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.DeclarationExpression(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.ParenthesizedVariableDesignation(SyntaxFactory.SeparatedList<VariableDesignationSyntax>(kept.Select(v => SyntaxFactory.SingleVariableDesignation(SyntaxFactory.Identifier(v.Name)))))),
                awaitExpression)),
        };
        return ImmutableArray.Create(replacement.WithLeadingTrivia(first.GetLeadingTrivia()).WithTrailingTrivia(last.GetTrailingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static bool CanOffload(IReadOnlyList<StatementSyntax> statements, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            foreach (var node in statement.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                switch (node)
                {
                    case AwaitExpressionSyntax or YieldStatementSyntax or RefExpressionSyntax or RefTypeSyntax or StackAllocArrayCreationExpressionSyntax:
                        return false;
                    case LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword, AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }:
                        return false;
                    case ThisExpressionSyntax or BaseExpressionSyntax when model.GetEnclosingSymbol(node.SpanStart, cancellationToken)?.ContainingType is { TypeKind: TypeKind.Struct }:
                        return false;
                    case ExpressionSyntax expression when model.GetTypeInfo(expression, cancellationToken).Type is { IsRefLikeType: true }:
                        return false;
                }
            }
        }

        return true;
    }

    private static bool IsUncapturable(ISymbol symbol) =>
        symbol switch
        {
            IParameterSymbol parameter => parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType || parameter.IsThis && parameter.Type.IsValueType,
            ILocalSymbol local => local.IsRef || local.Type.IsRefLikeType,
            _ => false,
        };
}
