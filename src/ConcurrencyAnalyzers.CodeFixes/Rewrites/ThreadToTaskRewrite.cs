using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// A dedicated thread → a task (<see cref="FixKind.ThreadToTask"/>), and a thread per item → one <c>Parallel</c> loop
/// (<see cref="FixKind.ThreadsToParallel"/>). The analyzer found every edit (<see cref="FixPlan.Inner"/>: the creation,
/// the start and settings that go, the joins, <c>IsAlive</c>, the declared type, the start method, the calls awaited in
/// the start body); this rewrite writes them in one pass over the smallest construct that holds them all.
/// <code>
/// _worker = new Thread(Poll) { IsBackground = true };      _worker = Task.Run(Poll);
/// _worker.Start();                                         …
/// void Poll() { … Thread.Sleep(1000); … }          →       async Task Poll() { … await Task.Delay(1000); … }
/// _worker.Join();                                          _worker.Wait();
/// </code>
/// </summary>
internal sealed class ThreadToTaskRewrite : Rewrite
{
    private const string RemovedKind = "ConcurrencyAnalyzers.Thread.Removed";

    public ThreadToTaskRewrite(FixKind kind) => Kind = kind;

    public override FixKind Kind { get; }

    public override bool NeedsAwait => false;

    public override bool RewritesWholeConstruct => true;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => NodeAtOperand<SyntaxNode>(root, diagnostic);

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, CancellationToken cancellationToken) =>
        !plan.Inner.IsEmpty && plan.Inner.All(edit => InnerTarget(target, edit) is { } node && Fits(node, edit.Plan, model, cancellationToken));

    /// <summary>Each edit finds the node it was planned for.</summary>
    private static bool Fits(SyntaxNode node, FixPlan plan, SemanticModel model, CancellationToken cancellationToken) =>
        plan.PieceOf() switch
        {
            ThreadPiece.Create or ThreadPiece.CreateAsync => node is BaseObjectCreationExpressionSyntax or InvocationExpressionSyntax { Parent: ExpressionStatementSyntax },
            ThreadPiece.Remove => node is StatementSyntax,
            ThreadPiece.Wait => node is SimpleNameSyntax { Identifier.ValueText: "Join" },
            ThreadPiece.Await => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax, Parent: ExpressionStatementSyntax },
            ThreadPiece.IsCompleted => node is MemberAccessExpressionSyntax or PrefixUnaryExpressionSyntax { Operand: MemberAccessExpressionSyntax },
            ThreadPiece.TaskType => node is TypeSyntax,
            ThreadPiece.AsyncMethod => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
            ThreadPiece.ParallelLoop => node is StatementSyntax && plan.Arguments is { } text && !SyntaxFactory.ParseStatement(text).ContainsDiagnostics,
            _ when plan.Fixes[0] == FixKind.AwaitTask => node is ExpressionSyntax wait && AwaitableEdit.TaskOperandOf(wait) is not null,
            _ => Rewrite.All.TryGetValue(plan.Fixes[0], out var rewrite) && rewrite.CanApply(node, null, plan, model, cancellationToken),
        };

    /// <summary>Two threads of one construct: the inner one's edits, at their place in the outer construct, join the outer plan.</summary>
    public override FixPlan? Merge(SyntaxNode target, FixPlan plan, SyntaxNode innerTarget, FixPlan innerPlan)
    {
        var offset = innerTarget.SpanStart - target.SpanStart;
        var edits = plan.Inner.ToDictionary(e => (e.Start, e.Length));
        foreach (var edit in innerPlan.Inner)
        {
            var key = (edit.Start + offset, edit.Length);
            if (edits.TryGetValue(key, out var existing))
            {
                if (existing.Plan.ToString() != edit.Plan.ToString())
                    return null; // two different edits of one node
                continue;
            }

            edits[key] = new InnerEdit(key.Item1, key.Length, edit.Plan);
        }

        return plan.WithInner(plan.Parameter ?? string.Empty, edits.Values.OrderBy(e => e.Start).ToImmutableArray());
    }

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var plan = context.Plan;
        var edits = new Dictionary<SyntaxNode, FixPlan>();
        foreach (var edit in plan.Inner)
        {
            if (InnerTarget(target, edit) is { } node)
                edits[node] = edit.Plan;
        }

        // Children first (ReplaceNodes hands each node its rewritten descendants): the sleeps, then the body around them.
        var rewritten = target.ReplaceNodes(edits.Keys, (original, current) => Edit(current, edits[original], context.ConfigureAwait));
        var removed = rewritten.GetAnnotatedNodes(RemovedKind).ToList();
        if (removed.Count > 0)
            rewritten = rewritten.RemoveNodes(removed, SyntaxRemoveOptions.KeepNoTrivia) ?? rewritten;
        return rewritten;
    }

    private static SyntaxNode Edit(SyntaxNode node, FixPlan edit, bool configureAwait)
    {
        switch (edit.PieceOf())
        {
            case ThreadPiece.Create or ThreadPiece.CreateAsync:
                return Create(node, edit);
            case ThreadPiece.Remove:
                return node.WithAdditionalAnnotations(new SyntaxAnnotation(RemovedKind));
            case ThreadPiece.Wait:
                return SyntaxFactory.IdentifierName("Wait").WithTriviaFrom(node);
            case ThreadPiece.Await:
                var join = (InvocationExpressionSyntax)node;
                return Await(((MemberAccessExpressionSyntax)join.Expression).Expression, configureAwait, join);
            case ThreadPiece.IsCompleted:
                if (node is PrefixUnaryExpressionSyntax { Operand: MemberAccessExpressionSyntax negated } not)
                    return IsCompleted(negated).WithTriviaFrom(not);
                var alive = (MemberAccessExpressionSyntax)node;
                return SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, IsCompleted(alive.WithoutTrivia())).WithTriviaFrom(alive);
            case ThreadPiece.TaskType:
                TypeSyntax task = SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
                if (node is NullableTypeSyntax)
                    task = SyntaxFactory.NullableType(task);
                return task.WithTriviaFrom(node);
            case ThreadPiece.AsyncMethod:
                return AsyncMethod(node, configureAwait);
            case ThreadPiece.ParallelLoop:
                return SyntaxFactory.ParseStatement(edit.Arguments!)
                    .WithAdditionalAnnotations(Simplifier.Annotation)
                    .WithTriviaFrom(node);
            default:
                if (edit.Fixes[0] == FixKind.AwaitTask)
                    return node is ExpressionSyntax wait && AwaitableEdit.TaskOperandOf(wait) is ExpressionSyntax awaited ? Await(awaited, configureAwait, wait) : node;
                return Rewrite.All.TryGetValue(edit.Fixes[0], out var rewrite) ? rewrite.Apply(node, new RewriteContext(edit, null, configureAwait)) : node;
        }
    }

    private static MemberAccessExpressionSyntax IsCompleted(MemberAccessExpressionSyntax alive) =>
        alive.WithName(SyntaxFactory.IdentifierName("IsCompleted").WithTriviaFrom(alive.Name));

    /// <summary>
    /// <c>new Thread(work) { … }</c> → <c>ThreadExecutor.Compute.RunAsync(work)</c> / <c>Task.Run(work)</c> (compute) or
    /// <c>Task.Run(async () =&gt; …)</c> (waiting); <c>new Thread(work).Start();</c> → <c>_ = …;</c>. A start method that
    /// takes the start argument is called with it: <c>() =&gt; Work(arg)</c>.
    /// </summary>
    private static SyntaxNode Create(SyntaxNode node, FixPlan edit)
    {
        var fireAndForget = node is InvocationExpressionSyntax;
        var creation = node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: BaseObjectCreationExpressionSyntax inner } } ? inner : node as BaseObjectCreationExpressionSyntax;
        if (creation?.ArgumentList is not { Arguments.Count: > 0 } arguments)
            return node;
        var work = arguments.Arguments[0].Expression;
        if (work is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } threadStart)
            work = threadStart.ArgumentList.Arguments[0].Expression; // new ThreadStart(Work)
        work = work.WithoutTrivia();
        var waiting = edit.PieceOf() == ThreadPiece.CreateAsync;
        if (edit.Arguments is { } startArgument)
            work = SyntaxFactory.ParenthesizedLambdaExpression(SyntaxFactory.InvocationExpression(work, SyntaxFactory.ParseArgumentList("(" + startArgument + ")")));
        else if (waiting && work is AnonymousFunctionExpressionSyntax lambda)
            work = MakeAsync(lambda);

        var runner = !waiting && edit.Target == OffloadTarget.Executors
            ? QualifiedName(FixEngine.RuntimeNamespace + ".ThreadExecutor.Compute.RunAsync", addImport: true)
            : QualifiedName("System.Threading.Tasks.Task.Run", addImport: false);
        ExpressionSyntax task = SyntaxFactory.InvocationExpression(runner, SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(work))));
        if (fireAndForget)
            task = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("_"), task);
        return task.WithTriviaFrom(node);
    }

    private static AnonymousFunctionExpressionSyntax MakeAsync(AnonymousFunctionExpressionSyntax lambda)
    {
        var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        return lambda switch
        {
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.WithAsyncKeyword(asyncKeyword),
            AnonymousMethodExpressionSyntax anonymous => anonymous.WithAsyncKeyword(asyncKeyword),
            _ => lambda,
        };
    }

    /// <summary><c>void Poll()</c> → <c>async Task Poll()</c>.</summary>
    private static SyntaxNode AsyncMethod(SyntaxNode method, bool configureAwait)
    {
        var task = SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        SyntaxNode returningTask = method switch
        {
            MethodDeclarationSyntax declaration => declaration.WithReturnType(task.WithTriviaFrom(declaration.ReturnType)),
            LocalFunctionStatementSyntax local => local.WithReturnType(task.WithTriviaFrom(local.ReturnType)),
            _ => method,
        };
        return AsyncConversion.MakeAsync(returningTask, returnsValue: false, configureAwait);
    }

    /// <summary>The node an edit was planned for, at its span relative to the construct (a <c>?.</c> call as its whole conditional access).</summary>
    private static SyntaxNode? InnerTarget(SyntaxNode construct, InnerEdit edit)
    {
        var span = new TextSpan(construct.SpanStart + edit.Start, edit.Length);
        if (!construct.Span.Contains(span))
            return null;
        var found = construct.FindNode(span, getInnermostNodeForTie: true);
        if (edit.Plan.PieceOf() is null && edit.Plan.Fixes[0] != FixKind.AwaitTask)
            return CallRewrite.TargetAt(found, span);
        return found.AncestorsAndSelf().FirstOrDefault(n => n.Span == span);
    }
}
