using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Compute;

/// <summary>
/// CONC011: <c>Heavy(…)</c> → <c>await ThreadExecutor.Compute.RunAsync(() =&gt; Heavy(…), token)</c> (<c>Task.Run</c> with
/// the BCL target), keeping the value.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC011CpuHeavyCallCodeFix)), Shared]
public sealed class CONC011CpuHeavyCallCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of "run it on the compute executor" (or <c>Task.Run</c>).</summary>
    public const string EquivalenceKey = "CONC011.OffloadCpuHeavyCall";

    public CONC011CpuHeavyCallCodeFix()
        : base(RuleIds.CpuHeavyCall)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) => OffloadTitle(plan);
}
