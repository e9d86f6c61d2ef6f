using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Compute;

/// <summary>
/// CONC010: the loop → <c>await ThreadExecutor.Compute.RunAsync(() =&gt; { loop }, token)</c> (<c>Task.Run</c> with the
/// BCL target), keeping the values the loop computes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC010CpuBoundLoopCodeFix)), Shared]
public sealed class CONC010CpuBoundLoopCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of "run the loop on the compute executor" (or <c>Task.Run</c>).</summary>
    public const string EquivalenceKey = "CONC010.OffloadLoop";

    public CONC010CpuBoundLoopCodeFix()
        : base(RuleIds.CpuBoundLoop)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        plan.Target == OffloadTarget.Bcl ? "Run the loop on the thread pool (Task.Run)" : "Run the loop on the compute executor (ThreadExecutor.Compute)";
}
