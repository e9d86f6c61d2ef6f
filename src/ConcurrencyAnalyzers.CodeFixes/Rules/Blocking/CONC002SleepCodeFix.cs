using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Blocking;

/// <summary>CONC002: <c>Thread.Sleep(x)</c> → <c>await Task.Delay(x, token)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC002SleepCodeFix)), Shared]
public sealed class CONC002SleepCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of this fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC002.AwaitDelay";

    public CONC002SleepCodeFix()
        : base(RuleIds.Sleep)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) => "Await 'Task.Delay'";
}
