using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Boundaries;

/// <summary>CONC030: <c>async void M()</c> → <c>async Task M()</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC030AsyncVoidCodeFix)), Shared]
public sealed class CONC030AsyncVoidCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of "return Task".</summary>
    public const string EquivalenceKey = "CONC030.ReturnTask";

    public CONC030AsyncVoidCodeFix()
        : base(RuleIds.AsyncVoid)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) => "Return Task instead of void";
}
