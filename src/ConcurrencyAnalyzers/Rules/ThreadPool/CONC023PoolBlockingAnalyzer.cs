using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.ThreadPool;

/// <summary>
/// CONC023: a blocking operation — what CONC001–CONC004 flag, or a call of a helper CONC005's summary says blocks —
/// inside a synchronous delegate queued to the shared thread pool (<see cref="PoolContext"/>). The pool injects threads
/// slowly when its threads block, so these blocks become starvation. A <c>Task.Run</c> that only wraps synchronous I/O
/// with a twin is CONC022's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC023PoolBlockingAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.PoolBlocking,
        title: "Do not block thread-pool threads",
        messageFormat: "'{0}' blocks a thread-pool thread inside {1}: {2}",
        RuleCategories.ThreadPool,
        description: "The shared thread pool adds only about one or two threads a second when its threads block, so blocking " +
                     "work queued to it (sync waits, sleeps, synchronous I/O, blocking locks) starves everything else that uses " +
                     "it. Run blocking work on a dedicated blocking executor, or make it asynchronous.");

    public CONC023PoolBlockingAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var loops = new ParallelAsyncPlan(analysis);
        context.RegisterOperationAction(
            c => Analyze(c, analysis, loops),
            OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.ObjectCreation, OperationKind.Using, OperationKind.UsingDeclaration);
    }

    /// <summary>
    /// <c>await Task.Run(() =&gt; Helper(…), token)</c> under <c>offload_target = bcl</c> (or without the runtime library):
    /// the form CONC003's and CONC005's offloading fixes write there — the BCL's way to move a blocking call off an
    /// async path. Reporting it would undo the fix the user chose; with the runtime library, it is reported and fixed
    /// to the blocking executor.
    /// </summary>
    private static bool IsBclOffload(PoolContext pool, IOperation operation, ConcurrencyAnalysis analysis) =>
        analysis.Settings.OffloadTarget(operation.Syntax.SyntaxTree) == OffloadTarget.Bcl
        && pool.Site.Invocation is { TargetMethod.Name: "Run" } run && KnownSymbols.Eq(run.TargetMethod.ContainingType, analysis.Symbols.Tasks.Task)
        && WrappedSynchronousIO.OnlyExpression(pool.Lambda) == operation;

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis, ParallelAsyncPlan loops)
    {
        var operation = context.Operation;
        analysis.Offer(operation.SemanticModel);
        if (operation.IsInsideNameOf() || PoolContext.Find(operation, context.ContainingSymbol, analysis) is not { } pool)
            return;

        string display, reason;
        Location location;
        switch (analysis.BlockingAt(operation, pool.Scope))
        {
            case ({ } blocking, _, _):
                display = blocking.ShortName;
                reason = BlockingSummary.Label(blocking.Kind);
                location = blocking.Location;
                break;
            case (null, { } summary, { } callee):
                display = BlockingSummaries.NameOf(callee) + (callee.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction ? "()" : string.Empty);
                reason = summary.ToString();
                location = operation.Syntax.GetLocation();
                break;
            default:
                return;
        }

        // Only for what blocks (the checks below cost more than classifying):
        if (pool.Site.Invocation is { } run && WrappedSynchronousIO.Of(run, context.ContainingSymbol, analysis) is { } wrapped && wrapped.Call == operation)
            return; // Task.Run(() => File.ReadAllText(p)): CONC022 reports it, with the better fix.
        if (IsBclOffload(pool, operation, analysis))
            return;

        // Task.Run(work[, token]) → ThreadExecutor.Blocking.RunAsync(work[, token]): the same signature, a thread of its own.
        FixPlan? plan = null;
        var additional = ImmutableArray<Location>.Empty;
        if (pool.Site.Invocation is { TargetMethod: { Name: "Run" } target } taskRun
            && KnownSymbols.Eq(target.ContainingType, analysis.Symbols.Tasks.Task)
            && (taskRun.Arguments.Length == 1 || (taskRun.Arguments.Length == 2 && KnownSymbols.Eq(taskRun.Arguments[1].Value.Type, analysis.Symbols.Tasks.CancellationToken)))
            && analysis.Symbols.Libraries.ThreadExecutor is not null
            && analysis.Settings.OffloadTarget(operation.Syntax.SyntaxTree) == OffloadTarget.Executors)
        {
            plan = new FixPlan(FixKind.RunOnBlockingExecutor);
            additional = ImmutableArray.Create(taskRun.Syntax.GetLocation());
        }
        else if (loops.For(pool, context.ContainingSymbol) is { } loopPlan)
        {
            // Parallel.ForEach(src, x => Read(x)) → await Parallel.ForEachAsync(src, async (x, ct) => await ReadAsync(x, ct)).
            plan = loopPlan;
            additional = ImmutableArray.Create(pool.Site.Invocation!.Syntax.GetLocation());
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, location, additional, plan?.Encode(), display, pool.Queue, reason));
    }
}
