using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// <c>Parallel.ForEach(src, x =&gt; { … Read(…) … });</c> → <c>await Parallel.ForEachAsync(src[, token], async (x, ct) =&gt;
/// { … await ReadAsync(…, ct) … });</c>, and <c>Parallel.For(a, b, i =&gt; …)</c> → <c>await Parallel.ForAsync(a, b[, token],
/// async (i, ct) =&gt; …)</c>. Every blocking call of the body is rewritten with it (the plan's inner edits, each a
/// <see cref="CallRewrite"/>), so the loop's workers wait without holding pool threads; <c>ParallelOptions</c> are kept
/// and carry the token. The target is the loop call (the diagnostic's operand), so every diagnostic of one body is one edit.
/// </summary>
internal sealed class ParallelAsyncRewrite : Rewrite
{
    public override FixKind Kind => FixKind.ParallelAsync;

    public override bool RewritesWholeConstruct => true;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => NodeAtOperand<InvocationExpressionSyntax>(root, diagnostic);

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, CancellationToken cancellationToken) =>
        target is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ForEach" or "For" }, Parent: ExpressionStatementSyntax } loop
        && loop.ArgumentList.Arguments.LastOrDefault()?.Expression is LambdaExpressionSyntax lambda
        && plan.Name is not null && plan.Parameter is not null
        && (lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) ? plan.Inner.IsEmpty : !plan.Inner.IsEmpty) // CONC031's async body, or CONC023's calls
        && plan.Inner.All(edit => InnerTarget(loop, edit) is { } inner && lambda.Span.Contains(inner.Span)
            && Rewrite.All.TryGetValue(edit.Plan.Fixes[0], out var rewrite) && rewrite.CanApply(inner, null, edit.Plan, model, cancellationToken));

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var loop = (InvocationExpressionSyntax)target;
        var plan = context.Plan;

        // 1. The body's blocking calls, each by its own rewrite (nested ones compose: ReplaceNodes hands each its rewritten children).
        var edits = new Dictionary<SyntaxNode, InnerEdit>();
        foreach (var edit in plan.Inner)
        {
            if (InnerTarget(loop, edit) is { } inner)
                edits[inner] = edit;
        }

        var rewritten = loop.ReplaceNodes(edits.Keys, (original, current) =>
            Rewrite.All.TryGetValue(edits[original].Plan.Fixes[0], out var rewrite)
                ? rewrite.Apply(current, new RewriteContext(edits[original].Plan, null, context.ConfigureAwait))
                : current);

        // 2. The body becomes async and takes the loop's token.
        var arguments = rewritten.ArgumentList.Arguments;
        var lambda = (LambdaExpressionSyntax)arguments.Last().Expression;
        var asyncBody = AsyncBody(lambda, plan.Parameter!);

        // 3. ForEach → ForEachAsync, For → ForAsync; the token in scope goes before the body unless ParallelOptions carry one.
        var newArguments = arguments.Replace(arguments.Last(), arguments.Last().WithExpression(asyncBody));
        if (plan.Token is not null)
            newArguments = Insert(newArguments, newArguments.Count - 1, SyntaxFactory.Argument(SyntaxFactory.IdentifierName(plan.Token)));
        var member = (MemberAccessExpressionSyntax)rewritten.Expression;
        var call = rewritten
            .WithExpression(member.WithName(SyntaxFactory.IdentifierName(plan.Name!).WithTriviaFrom(member.Name)))
            .WithArgumentList(rewritten.ArgumentList.WithArguments(newArguments));
        return Await(call, context.ConfigureAwait, loop);
    }

    private static LambdaExpressionSyntax AsyncBody(LambdaExpressionSyntax lambda, string tokenName)
    {
        var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
        {
            // Already async (CONC031): keep the keyword where it is, the lambda's leading trivia before it.
            asyncKeyword = lambda.AsyncKeyword;
            lambda = lambda.WithAsyncKeyword(default).WithLeadingTrivia(lambda.AsyncKeyword.LeadingTrivia);
        }

        var token = SyntaxFactory.Parameter(SyntaxFactory.Identifier(tokenName));
        switch (lambda)
        {
            case SimpleLambdaExpressionSyntax simple:
                var element = simple.Parameter.WithoutTrivia();
                return SyntaxFactory.ParenthesizedLambdaExpression(
                        SyntaxFactory.ParameterList(Append(SyntaxFactory.SingletonSeparatedList(element), token)),
                        simple.Block,
                        simple.ExpressionBody)
                    .WithAsyncKeyword(asyncKeyword)
                    .WithArrowToken(simple.ArrowToken)
                    .WithTriviaFrom(simple);
            case ParenthesizedLambdaExpressionSyntax parenthesized:
                var existing = parenthesized.ParameterList.Parameters;
                if (existing.Count == 1 && existing[0].Type is not null)
                {
                    token = token.WithType(SyntaxFactory.ParseTypeName("global::System.Threading.CancellationToken")
                        .WithAdditionalAnnotations(Simplifier.Annotation)
                        .WithTrailingTrivia(SyntaxFactory.Space));
                }

                return parenthesized
                    .WithParameterList(parenthesized.ParameterList.WithParameters(Append(existing, token)))
                    .WithAsyncKeyword(asyncKeyword.WithLeadingTrivia(parenthesized.GetLeadingTrivia()))
                    .WithLeadingTrivia(parenthesized.GetLeadingTrivia());
            default:
                return lambda;
        }
    }

    /// <summary><paramref name="list"/> with <paramref name="node"/> at its end, after a <c>", "</c>.</summary>
    private static SeparatedSyntaxList<T> Append<T>(SeparatedSyntaxList<T> list, T node)
        where T : SyntaxNode =>
        Insert(list, list.Count, node);

    /// <summary>
    /// <paramref name="list"/> with <paramref name="node"/> at <paramref name="index"/>; the list's own separators are kept
    /// (line breaks between arguments stay), the new one is <c>", "</c>.
    /// </summary>
    private static SeparatedSyntaxList<T> Insert<T>(SeparatedSyntaxList<T> list, int index, T node)
        where T : SyntaxNode
    {
        var nodes = list.ToList();
        nodes.Insert(index, node);
        var separators = list.GetSeparators().ToList();
        separators.Insert(System.Math.Min(index, separators.Count), SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        return SyntaxFactory.SeparatedList(nodes, separators);
    }

    /// <summary>The node an inner edit rewrites, found at its span relative to the loop (a <c>?.</c> call as its whole conditional access).</summary>
    private static SyntaxNode? InnerTarget(InvocationExpressionSyntax loop, InnerEdit edit)
    {
        var span = new TextSpan(loop.SpanStart + edit.Start, edit.Length);
        if (!loop.Span.Contains(span))
            return null;
        return CallRewrite.TargetAt(loop.FindNode(span, getInnermostNodeForTie: true), span);
    }
}
