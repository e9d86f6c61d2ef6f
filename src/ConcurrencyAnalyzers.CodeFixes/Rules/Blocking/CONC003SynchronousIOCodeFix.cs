using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Blocking;

/// <summary>CONC003: <c>x.Read(…)</c> → <c>await x.ReadAsync(…, token)</c>; <c>using</c> → <c>await using</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC003SynchronousIOCodeFix)), Shared]
public sealed class CONC003SynchronousIOCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of this fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC003.AwaitAsyncCounterpart";

    public CONC003SynchronousIOCodeFix()
        : base(RuleIds.SynchronousIO, EquivalenceKey)
    {
    }

    private protected override string Title(Diagnostic diagnostic) =>
        NameOf(diagnostic) is { } twin ? "Await '" + twin + "'" : "Use 'await using'";
}
