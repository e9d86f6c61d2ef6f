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
    /// <summary>The equivalence key of "await the async sibling".</summary>
    public const string EquivalenceKey = "CONC005.AwaitAsyncCounterpart";

    /// <summary>The equivalence key of "run it on the blocking executor" (or <c>Task.Run</c>).</summary>
    public const string OffloadEquivalenceKey = "CONC005.OffloadBlockingCall";

    public CONC005BlockingHelperCodeFix()
        : base(RuleIds.BlockingHelper)
    {
    }

    private protected override string KeyOf(FixKind kind) => kind == FixKind.OffloadCall ? OffloadEquivalenceKey : EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.OffloadCall ? OffloadTitle(plan) : "Await '" + plan.Name + "'";
}
