using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>What a rewrite is given: the plan, the operand (in the tree being rewritten) and the document's await style.</summary>
internal sealed class RewriteContext
{
    public RewriteContext(FixPlan plan, SyntaxNode? operand, bool configureAwait, object? prepared = null)
    {
        Plan = plan;
        Operand = operand;
        ConfigureAwait = configureAwait;
        Prepared = prepared;
    }

    /// <summary>What <see cref="Rewrite.Prepare"/> computed on the original tree (for rewrites that need its semantic model).</summary>
    public object? Prepared { get; }

    public FixPlan Plan { get; }

    /// <summary>The node the diagnostic's first additional location named (the task, the call, the using statement).</summary>
    public SyntaxNode? Operand { get; }

    public bool ConfigureAwait { get; }
}

/// <summary>
/// One kind of fix: which node it replaces, whether it is possible there, and how it writes the change. A rewrite
/// that introduces an <c>await</c> says so (<see cref="NeedsAwait"/>): the engine then checks that an await can go there
/// and makes the enclosing function async once, whatever number of rewrites land in it.
/// </summary>
internal abstract class Rewrite
{
    public abstract FixKind Kind { get; }

    public virtual bool NeedsAwait => true;

    /// <summary>The node the rewrite replaces, found from the diagnostic's location.</summary>
    public virtual SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node.FirstAncestorOrSelf<ExpressionSyntax>(n => n.Span == diagnostic.Location.SourceSpan);
    }

    /// <summary>
    /// The node of type <typeparamref name="T"/> at the diagnostic's operand location, for rewrites of the construct
    /// around what is reported (the <c>Task.Run</c> call, a <c>Parallel</c> loop, a loop statement).
    /// </summary>
    protected static T? NodeAtOperand<T>(SyntaxNode root, Diagnostic diagnostic)
        where T : SyntaxNode
    {
        if (diagnostic.AdditionalLocations.Count == 0 || !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan))
            return null;
        var span = diagnostic.AdditionalLocations[0].SourceSpan;
        return root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<T>().FirstOrDefault(n => n.Span == span);
    }

    /// <summary>Whether the rewrite produces compiling code here (beyond where its await goes).</summary>
    public virtual bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, CancellationToken cancellationToken) => true;

    /// <summary>
    /// For a rewrite that needs the semantic model of the original tree (data flow): computes, before any edit, what
    /// <see cref="Apply"/> will write; <see langword="null"/> when the rewrite is not possible. Other rewrites need nothing.
    /// </summary>
    public virtual object? Prepare(SyntaxNode target, FixPlan plan, SemanticModel model, CancellationToken cancellationToken) => Unprepared;

    /// <summary>What <see cref="Prepare"/> returns for a rewrite that needs no preparation.</summary>
    public static readonly object Unprepared = new();

    /// <summary>
    /// Whether the rewrite replaces a whole construct from what it prepared or from spans taken before any edit (a loop
    /// offloaded, a loop made async): no other rewrite may edit inside its target in the same pass.
    /// </summary>
    public virtual bool RewritesWholeConstruct => false;

    /// <summary>
    /// For a whole-construct rewrite: one plan that does both <paramref name="plan"/> over <paramref name="target"/> and
    /// <paramref name="innerPlan"/> over <paramref name="innerTarget"/> (inside it), so Fix All needs one pass; <see langword="null"/>
    /// when the two cannot share one.
    /// </summary>
    public virtual FixPlan? Merge(SyntaxNode target, FixPlan plan, SyntaxNode innerTarget, FixPlan innerPlan) => null;

    public abstract SyntaxNode Apply(SyntaxNode target, RewriteContext context);

    /// <summary>
    /// The nodes that take the target's place: one, except for rewrites that add statements after a statement in a
    /// block (<see cref="ConnectAfterCreateRewrite"/>).
    /// </summary>
    public virtual IReadOnlyList<SyntaxNode> ApplyMany(SyntaxNode target, RewriteContext context) => new[] { Apply(target, context) };

    /// <summary>Every rewrite the fixers know, by kind.</summary>
    public static ImmutableDictionary<FixKind, Rewrite> All { get; } = new Rewrite[]
    {
        new AwaitTaskRewrite(),
        new CallRewrite(FixKind.AwaitTwin),
        new CallRewrite(FixKind.Delay),
        new CallRewrite(FixKind.WaitOneAsync),
        new AwaitUsingRewrite(),
        new OffloadCallRewrite(),
        new ConnectAfterCreateRewrite(),
        new UnwrapTaskRunRewrite(),
        new BlockingExecutorRewrite(),
        new ParallelAsyncRewrite(),
        new OffloadLoopRewrite(),
        new ThreadToTaskRewrite(FixKind.ThreadToTask),
        new ThreadToTaskRewrite(FixKind.ThreadsToParallel),
        new ReturnTaskRewrite(),
        new TaskRunRewrite(FixKind.TaskRun),
        new TaskRunRewrite(FixKind.Unwrap),
        new ForEachLoopRewrite(),
    }.ToImmutableDictionary(r => r.Kind);

    /// <summary><c>await awaited</c> (configured when the document's style says so), in generous parentheses that the simplifier removes where they are not needed.</summary>
    public static ExpressionSyntax Await(ExpressionSyntax awaited, bool configureAwait, SyntaxNode replaced)
    {
        awaited = awaited.WithoutTrivia();
        if (configureAwait)
            awaited = AwaitStyle.Configure(awaited);
        ExpressionSyntax result = SyntaxFactory.AwaitExpression(awaited);
        // Where an expression stands alone (a statement, an initializer, an argument, a returned value) no parentheses
        // can be needed; elsewhere the simplifier decides.
        if (replaced.Parent is not (ExpressionStatementSyntax or EqualsValueClauseSyntax or ArgumentSyntax or ReturnStatementSyntax or ArrowExpressionClauseSyntax))
            result = SyntaxFactory.ParenthesizedExpression(result).WithAdditionalAnnotations(Simplifier.Annotation);
        return result.WithTriviaFrom(replaced);
    }

    /// <summary>
    /// A fully qualified name (<c>global::A.B.C</c>) the simplifier shortens where its namespace is in scope; with
    /// <paramref name="addImport"/>, the import adder first brings the namespace into scope.
    /// </summary>
    public static ExpressionSyntax QualifiedName(string fullName, bool addImport) =>
        SyntaxFactory.ParseExpression("global::" + fullName)
            .WithAdditionalAnnotations(addImport ? new[] { Simplifier.Annotation, Simplifier.AddImportsAnnotation } : new[] { Simplifier.Annotation });
}
