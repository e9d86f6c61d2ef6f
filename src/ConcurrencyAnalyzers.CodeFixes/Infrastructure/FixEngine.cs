using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Applies rewrites to one document, for one diagnostic or for all of them at once (Fix All): every target and operand
/// is annotated first, the rewrites run inner-first on the annotated tree (so edits in one method compose), every
/// function that needs an <c>await</c> is made <c>async</c> once, then Roslyn adds the imports and removes the
/// parentheses that are not needed.
/// </summary>
internal static class FixEngine
{
    public const string RuntimeNamespace = "ConcurrencyAnalyzers.Runtime";

    /// <summary>The kind of the annotations that find targets, operands and functions again after the edits around them.</summary>
    private const string AnnotationKind = "ConcurrencyAnalyzers.Fix";

    /// <summary>One diagnostic's rewrite, ready to apply.</summary>
    internal sealed class Job
    {
        public Job(Diagnostic diagnostic, Rewrite rewrite, FixPlan plan, SyntaxNode target, SyntaxNode? operand, AwaitPlacement? placement, object? prepared)
        {
            Prepared = prepared;
            Diagnostic = diagnostic;
            Rewrite = rewrite;
            Plan = plan;
            Target = target;
            Operand = operand;
            Placement = placement;
        }

        public Diagnostic Diagnostic { get; }
        public Rewrite Rewrite { get; }
        public FixPlan Plan { get; }
        public SyntaxNode Target { get; }
        public SyntaxNode? Operand { get; }
        public AwaitPlacement? Placement { get; }
        public object? Prepared { get; }
    }

    /// <summary>The rewrites of <paramref name="diagnostic"/>'s plan that are possible where it is, most preferred first.</summary>
    public static IEnumerable<Job> Offered(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var plan = FixPlan.Decode(diagnostic.Properties);
        if (plan is null)
            yield break;
        foreach (var kind in plan.Fixes)
        {
            if (TryPlan(root, model, diagnostic, plan, kind, cancellationToken) is { } job)
                yield return job;
        }
    }

    private static Job? TryPlan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, FixPlan plan, FixKind kind, CancellationToken cancellationToken)
    {
        if (!Rewrite.All.TryGetValue(kind, out var rewrite))
            return null;
        var target = rewrite.FindTarget(root, diagnostic);
        if (target is null)
            return null;
        var operand = diagnostic.AdditionalLocations.Count > 0 && diagnostic.AdditionalLocations[0].IsInSource
            ? FindExact(root, diagnostic.AdditionalLocations[0].SourceSpan)
            : null;
        if (!rewrite.CanApply(target, operand, plan, model, cancellationToken))
            return null;
        var prepared = rewrite.Prepare(target, plan, model, cancellationToken);
        if (prepared is null)
            return null;
        AwaitPlacement? placement = null;
        if (rewrite.NeedsAwait)
        {
            placement = AwaitPlacement.Find(target, model, plan.VoidToTask, cancellationToken);
            if (placement is null)
                return null;
        }

        return new Job(diagnostic, rewrite, plan, target, operand, placement, prepared);
    }

    private static SyntaxNode? FindExact(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        if (!root.FullSpan.Contains(span))
            return null;
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        return node.AncestorsAndSelf().FirstOrDefault(n => n.Span == span) ?? node;
    }

    /// <summary>Applies, for each diagnostic, the first offered rewrite that <paramref name="accept"/> takes.</summary>
    public static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, Func<FixKind, bool> accept, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
            return document;
        var jobs = diagnostics
            .Select(d => Offered(root, model, d, cancellationToken).FirstOrDefault(j => accept(j.Rewrite.Kind)))
            .Where(j => j is not null)
            .Select(j => j!)
            .ToList();
        // Whole-construct rewrites that can share a pass (two threads of one class) merge into the outermost one.
        foreach (var outer in jobs.Where(j => j.Rewrite.RewritesWholeConstruct).OrderByDescending(j => j.Target.Span.Length).ToList())
        {
            if (!jobs.Contains(outer))
                continue;
            var merged = outer;
            foreach (var inner in jobs.Where(j => j != outer && j.Rewrite == outer.Rewrite && outer.Target.Span.Contains(j.Target.Span)).ToList())
            {
                if (outer.Rewrite.Merge(merged.Target, merged.Plan, inner.Target, inner.Plan) is { } plan)
                {
                    merged = new Job(merged.Diagnostic, merged.Rewrite, plan, merged.Target, merged.Operand, merged.Placement, merged.Prepared);
                    jobs.Remove(inner);
                }
            }

            jobs[jobs.IndexOf(outer)] = merged;
        }

        jobs = jobs
            .GroupBy(j => j.Target) // one rewrite per node, however many diagnostics name it
            .Select(g => g.First())
            .ToList();
        // A call moved into a lambda cannot hold another fix's await: the inner fix wins, the offload waits for a later pass.
        jobs.RemoveAll(outer => outer.Rewrite.Kind == FixKind.OffloadCall
            && jobs.Any(inner => inner != outer && outer.Target.Span.Contains(inner.Target.Span)));
        // A loop converted to its async form, or offloaded whole, is rewritten from what was taken before any edit:
        // nothing else may edit inside it in the same pass.
        jobs.RemoveAll(inner => jobs.Any(outer => outer != inner && outer.Rewrite.RewritesWholeConstruct
            && outer.Target.Span.Contains(inner.Target.Span)));
        return jobs.Count == 0 ? document : await ApplyAsync(document, root, jobs, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, List<Job> jobs, CancellationToken cancellationToken)
    {
        var configureAwait = AwaitStyle.UsesConfigureAwaitFalse(root);

        // 1. Annotate every node a rewrite needs, so it can be found again after the edits around it.
        var annotations = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
        void Mark(SyntaxNode node, SyntaxAnnotation annotation)
        {
            if (!annotations.TryGetValue(node, out var list))
                annotations[node] = list = new List<SyntaxAnnotation>();
            list.Add(annotation);
        }

        var marked = new List<(Job Job, SyntaxAnnotation Target, SyntaxAnnotation? Operand)>();
        var functions = new Dictionary<SyntaxNode, (AwaitPlacement Placement, SyntaxAnnotation Annotation)>();
        foreach (var job in jobs.OrderBy(j => j.Target.Span.Length)) // inner edits first
        {
            var target = new SyntaxAnnotation(AnnotationKind);
            Mark(job.Target, target);
            SyntaxAnnotation? operand = null;
            if (job.Operand is not null)
                Mark(job.Operand, operand = new SyntaxAnnotation(AnnotationKind));
            marked.Add((job, target, operand));
            if (job.Placement is { NeedsAsync: true } placement && !functions.ContainsKey(placement.Function))
            {
                var annotation = new SyntaxAnnotation(AnnotationKind);
                functions[placement.Function] = (placement, annotation);
                Mark(placement.Function, annotation);
            }
        }

        var current = root.ReplaceNodes(annotations.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original]));

        // 2. The rewrites, inner first.
        var needsRuntimeUsing = false;
        var applied = new HashSet<SyntaxNode>();
        foreach (var (job, targetAnnotation, operandAnnotation) in marked)
        {
            var target = current.GetAnnotatedNodes(targetAnnotation).FirstOrDefault();
            if (target is null)
                continue;
            if (job.Placement is { NeedsAsync: true } needs)
                applied.Add(needs.Function);
            var operand = operandAnnotation is null ? null : current.GetAnnotatedNodes(operandAnnotation).FirstOrDefault();
            // The replacement keeps the target's annotations: an outer fix may name this node as its operand.
            var replacements = job.Rewrite.ApplyMany(target, new RewriteContext(job.Plan, operand, configureAwait, job.Prepared));
            var first = replacements[0].WithAdditionalAnnotations(target.GetAnnotations(AnnotationKind));
            current = replacements.Count == 1
                ? current.ReplaceNode(target, first)
                : current.ReplaceNode(target, new[] { first }.Concat(replacements.Skip(1)));
            needsRuntimeUsing |= job.Rewrite.Kind == FixKind.WaitOneAsync || job.Plan.Inner.Any(e => e.Plan.Fixes[0] == FixKind.WaitOneAsync);
        }

        // 3. Each function that now awaits becomes async, once, inner functions first.
        foreach (var (placement, annotation) in functions.Values.Where(f => applied.Contains(f.Placement.Function)).OrderBy(f => f.Placement.Function.Span.Length))
        {
            var function = current.GetAnnotatedNodes(annotation).FirstOrDefault();
            if (function is null)
                continue;
            var made = function;
            if (placement.ReturnsTaskFromVoid && made is MethodDeclarationSyntax voidMethod)
            {
                made = voidMethod.WithReturnType(SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task")
                    .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation).WithTriviaFrom(voidMethod.ReturnType));
            }

            current = current.ReplaceNode(function, AsyncConversion.MakeAsync(made, placement.ReturnsValue, configureAwait));
        }

        // 4. Imports: Roslyn's import adder for the qualified names a rewrite marked (ThreadExecutor), a namespace import
        //    for the WaitOneAsync extension (an extension call has no qualified name to import from); then the
        //    simplifier shortens names and drops needless parentheses; then the formatter.
        if (needsRuntimeUsing && current is CompilationUnitSyntax unit)
            current = AddUsing(unit, RuntimeNamespace);
        var result = document.WithSyntaxRoot(current);
        if (current.GetAnnotatedNodes(Simplifier.AddImportsAnnotation).Any())
            result = await ImportAdder.AddImportsAsync(result, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        result = await Simplifier.ReduceAsync(result, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(result, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>using ns;</c> in sorted position, unless present (or the code is inside that namespace). Only for extension
    /// methods: Roslyn's import adder works from qualified names, and an extension call has none.
    /// </summary>
    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string ns)
    {
        var all = unit.Usings.Concat(unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Usings));
        if (all.Any(u => u.Name?.ToString() == ns) || unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Name.ToString().StartsWith(ns, StringComparison.Ordinal)))
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
}
