using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.ThreadPool;

/// <summary>CONC022: <c>await Task.Run(() =&gt; File.ReadAllText(p))</c> → <c>await File.ReadAllTextAsync(p, token)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC022WrappedSynchronousIOCodeFix)), Shared]
public sealed class CONC022WrappedSynchronousIOCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of this fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC022.CallAsyncCounterpart";

    public CONC022WrappedSynchronousIOCodeFix()
        : base(RuleIds.WrappedSynchronousIO)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) => "Call '" + plan.Name + "' directly";
}
