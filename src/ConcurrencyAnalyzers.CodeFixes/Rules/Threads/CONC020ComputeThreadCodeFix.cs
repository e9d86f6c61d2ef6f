using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Threads;

/// <summary>
/// CONC020: a compute thread → <c>ThreadExecutor.Compute.RunAsync(work)</c> (<c>Task.Run</c> with the BCL target), its
/// joins waiting on the task; threads started per item and joined after the loop → one <c>Parallel.ForEach</c>/<c>For</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC020ComputeThreadCodeFix)), Shared]
public sealed class CONC020ComputeThreadCodeFix : BlockingCodeFix
{
    /// <summary>
    /// The equivalence key of both actions: a diagnostic offers one of them, and <c>dotnet format</c> fixes a rule by the
    /// key of its first diagnostic's action.
    /// </summary>
    public const string EquivalenceKey = "CONC020.MoveToWorkers";

    public CONC020ComputeThreadCodeFix()
        : base(RuleIds.ComputeThread)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.ThreadsToParallel
            ? "Run the items with Parallel instead of a thread each"
            : plan.Target == OffloadTarget.Bcl ? "Run the work on the thread pool (Task.Run)" : "Run the work on the compute executor (ThreadExecutor.Compute)";
}
