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
    /// <summary>
    /// The equivalence key of both fixes. A diagnostic offers one or the other, never both, so one key lets Fix All —
    /// and <c>dotnet format</c>, which fixes by the key of the first diagnostic's action — take every diagnostic of the
    /// rule off the pool in one pass, each with its own fix.
    /// </summary>
    public const string EquivalenceKey = "CONC023.MoveOffThePool";

    public CONC023PoolBlockingCodeFix()
        : base(RuleIds.PoolBlocking)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.ParallelAsync
            ? "Use 'await Parallel." + plan.Name + "' with an async body"
            : "Run it on the blocking executor (ThreadExecutor.Blocking)";
}
