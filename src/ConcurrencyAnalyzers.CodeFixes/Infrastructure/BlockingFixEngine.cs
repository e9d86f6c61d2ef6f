using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Applies the blocking rules' rewrites to one document, for one diagnostic or for all of them at once (Fix All): each
/// flagged expression becomes an <c>await</c>, then every function that needs it is made <c>async</c> once.
/// </summary>
internal static class BlockingFixEngine
{
    public const string RuntimeNamespace = "ConcurrencyAnalyzers.Runtime";

    /// <summary>Fix All for every blocking rule: one pass per document, so edits in one method compose.</summary>
    public static FixAllProvider FixAll { get; } = FixAllProvider.Create(
        async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    /// <summary>The rewrite a diagnostic asks for, if it is possible where the diagnostic is.</summary>
    public static Plan? TryPlan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.Fix, out var kind) || kind is null)
            return null;
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        SyntaxNode? target = kind switch
        {
            FixKinds.AwaitUsing => node.FirstAncestorOrSelf<SyntaxNode>(n => n is UsingStatementSyntax or LocalDeclarationStatementSyntax),
            FixKinds.AwaitTask => node.FirstAncestorOrSelf<ExpressionSyntax>(n => n is InvocationExpressionSyntax or MemberAccessExpressionSyntax && n.Span == diagnostic.Location.SourceSpan),
            _ => node.FirstAncestorOrSelf<InvocationExpressionSyntax>(n => n.Span == diagnostic.Location.SourceSpan),
        };
        if (target is null)
            return null;
        var placement = AwaitPlacement.Find(target, model, cancellationToken);
        return placement is null ? null : new Plan(target, kind, diagnostic, placement);
    }

    public static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
            return document;

        var plans = diagnostics
            .Select(d => TryPlan(root, model, d, cancellationToken))
            .Where(p => p is not null)
            .Select(p => p!)
            .OrderBy(p => p.Target.Span.Length) // inner edits first; outer callbacks see them.
            .ToList();
        if (plans.Count == 0)
            return document;

        var configureAwait = AwaitStyle.UsesConfigureAwaitFalse(root);
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var functions = new Dictionary<SyntaxNode, AwaitPlacement>();
        var needsRuntimeUsing = false;
        foreach (var plan in plans)
        {
            editor.ReplaceNode(plan.Target, (current, _) => Rewrite(current, plan, configureAwait));
            if (plan.Placement.NeedsAsync)
                functions[plan.Placement.Function] = plan.Placement;
            needsRuntimeUsing |= plan.Kind == FixKinds.WaitOneAsync;
        }

        foreach (var function in functions.Values.OrderBy(f => f.Function.Span.Length))
            editor.ReplaceNode(function.Function, (current, _) => AsyncConversion.MakeAsync(current, function.ReturnsValue, configureAwait));

        var newRoot = editor.GetChangedRoot();
        if (needsRuntimeUsing && newRoot is CompilationUnitSyntax unit)
            newRoot = AddUsing(unit, RuntimeNamespace);
        return document.WithSyntaxRoot(newRoot);
    }

    private static SyntaxNode Rewrite(SyntaxNode current, Plan plan, bool configureAwait)
    {
        switch (plan.Kind)
        {
            case FixKinds.AwaitUsing:
                var awaitKeyword = SyntaxFactory.Token(current.GetLeadingTrivia(), SyntaxKind.AwaitKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
                return current switch
                {
                    UsingStatementSyntax u => u.WithoutLeadingTrivia().WithAwaitKeyword(awaitKeyword),
                    LocalDeclarationStatementSyntax d => d.WithoutLeadingTrivia().WithAwaitKeyword(awaitKeyword),
                    _ => current,
                };
            case FixKinds.AwaitTask:
                var task = TaskOf((ExpressionSyntax)current);
                return task is null ? current : AwaitExpression((ExpressionSyntax)current, task, configureAwait);
            default:
                var invocation = (InvocationExpressionSyntax)current;
                var call = RewriteCall(invocation, plan);
                return call is null ? current : AwaitExpression(invocation, call, configureAwait);
        }
    }

    /// <summary>The task behind <c>t.Wait()</c>, <c>t.Result</c> or <c>t.GetAwaiter().GetResult()</c>.</summary>
    private static ExpressionSyntax? TaskOf(ExpressionSyntax blocking) =>
        blocking switch
        {
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result.Expression,
            InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax
                {
                    Name.Identifier.ValueText: "GetResult",
                    Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter },
                },
            } => getAwaiter.Expression,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } wait } => wait.Expression,
            _ => null,
        };

    private static ExpressionSyntax? RewriteCall(InvocationExpressionSyntax invocation, Plan plan)
    {
        var properties = plan.Diagnostic.Properties;
        properties.TryGetValue(DiagnosticProperties.Name, out var name);
        properties.TryGetValue(DiagnosticProperties.Token, out var token);
        var arguments = invocation.ArgumentList;
        if (token is not null)
            arguments = arguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token)));

        if (plan.Kind == FixKinds.Delay)
        {
            var task = SyntaxFactory.ParseExpression("global::System.Threading.Tasks.Task")
                .WithAdditionalAnnotations(Simplifier.Annotation);
            return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, SyntaxFactory.IdentifierName("Delay")),
                arguments).WithTriviaFrom(invocation);
        }

        if (name is null)
            return null;
        ExpressionSyntax? callee = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(Rename(access.Name, name)),
            SimpleNameSyntax simple => Rename(simple, name).WithTriviaFrom(simple),
            _ => null,
        };
        return callee is null ? null : invocation.WithExpression(callee).WithArgumentList(arguments);
    }

    private static SimpleNameSyntax Rename(SimpleNameSyntax simple, string name) =>
        (simple is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(name))
            : (SimpleNameSyntax)SyntaxFactory.IdentifierName(name)).WithTriviaFrom(simple);

    /// <summary><c>await awaited</c> in place of <paramref name="original"/>, parenthesized where the context binds tighter.</summary>
    private static ExpressionSyntax AwaitExpression(ExpressionSyntax original, ExpressionSyntax awaited, bool configureAwait)
    {
        awaited = awaited.WithoutTrivia();
        if (configureAwait)
            awaited = AwaitStyle.Configure(awaited);
        ExpressionSyntax result = SyntaxFactory.AwaitExpression(awaited);
        if (original.Parent is MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ConditionalAccessExpressionSyntax
            or InvocationExpressionSyntax or PostfixUnaryExpressionSyntax or MemberBindingExpressionSyntax)
            result = SyntaxFactory.ParenthesizedExpression(result);
        return result.WithTriviaFrom(original);
    }

    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string ns)
    {
        var all = unit.Usings.Concat(unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Usings));
        if (all.Any(u => u.Name?.ToString() == ns) || unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Name.ToString().StartsWith(ns, System.StringComparison.Ordinal)))
            return unit;
        var newline = unit.Usings.Count > 0 && unit.Usings[0].GetTrailingTrivia().ToFullString().Contains("\r\n") ? "\r\n" : "\n";
        var directive = SyntaxFactory.ParseCompilationUnit("using " + ns + ";" + newline).Usings[0];
        var usings = unit.Usings;
        var index = 0;
        while (index < usings.Count && string.CompareOrdinal(usings[index].Name?.ToString(), ns) < 0 && !usings[index].StaticKeyword.IsKind(SyntaxKind.StaticKeyword) && usings[index].Alias is null)
            index++;
        if (usings.Count == 0)
            directive = directive.WithTrailingTrivia(directive.GetTrailingTrivia().Add(SyntaxFactory.EndOfLine(newline)));
        return unit.WithUsings(usings.Insert(index, directive));
    }

    /// <summary>One diagnostic's rewrite: the node to replace, the kind of rewrite, and where its await goes.</summary>
    internal sealed class Plan
    {
        public Plan(SyntaxNode target, string kind, Diagnostic diagnostic, AwaitPlacement placement)
        {
            Target = target;
            Kind = kind;
            Diagnostic = diagnostic;
            Placement = placement;
        }

        public SyntaxNode Target { get; }

        public string Kind { get; }

        public Diagnostic Diagnostic { get; }

        public AwaitPlacement Placement { get; }
    }
}
