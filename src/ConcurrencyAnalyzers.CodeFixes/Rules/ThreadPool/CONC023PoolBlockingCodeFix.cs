using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.ThreadPool;

/// <summary>
/// CONC023: <c>Task.Run(blocking)</c> → <c>ThreadExecutor.Blocking.RunAsync(blocking)</c>, off the shared pool; a
/// <c>Parallel.ForEach</c>/<c>For</c> whose body's blocking calls all have awaitable twins → <c>await
/// Parallel.ForEachAsync</c>/<c>ForAsync</c> with an async body.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC023PoolBlockingCodeFix)), Shared]
public sealed class CONC023PoolBlockingCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of the blocking-executor fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC023.RunOnBlockingExecutor";

    /// <summary>The equivalence key of the async-loop fix.</summary>
    public const string ParallelAsyncKey = "CONC023.UseParallelAsync";

    public CONC023PoolBlockingCodeFix()
        : base(RuleIds.PoolBlocking)
    {
    }

    private protected override string KeyOf(FixKind kind) => kind == FixKind.ParallelAsync ? ParallelAsyncKey : EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.ParallelAsync
            ? "Use 'await Parallel." + plan.Name + "' with an async body"
            : "Run it on the blocking executor (ThreadExecutor.Blocking)";
}
