using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Blocking;

/// <summary>
/// CONC005: <c>Helper(…)</c> → <c>await HelperAsync(…, token)</c> when the sibling binds (and is not a wrapper of the
/// same call); otherwise <c>await ThreadExecutor.Blocking.RunAsync(() =&gt; Helper(…), token)</c> (<c>Task.Run</c> with the
/// BCL target), keeping the value.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC005BlockingHelperCodeFix)), Shared]
public sealed class CONC005BlockingHelperCodeFix : BlockingCodeFix
{
    /// <summary>
    /// The equivalence key of both fixes ("await the async sibling", "run it on the blocking executor"). A diagnostic
    /// offers one or the other, never both, so one key lets Fix All — and <c>dotnet format</c>, which fixes by the key of
    /// the first diagnostic's action — fix every diagnostic of the rule in one pass, each with its own fix.
    /// </summary>
    public const string EquivalenceKey = "CONC005.FixBlockingHelperCall";

    public CONC005BlockingHelperCodeFix()
        : base(RuleIds.BlockingHelper)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.OffloadCall ? OffloadTitle(plan) : "Await '" + plan.Name + "'";
}
