using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Blocking;

/// <summary>CONC001: <c>t.Wait()</c>/<c>t.Result</c>/<c>GetAwaiter().GetResult()</c> → <c>await t</c>; <c>Task.WaitAll</c> → <c>await Task.WhenAll</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC001BlockingWaitCodeFix)), Shared]
public sealed class CONC001BlockingWaitCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of this fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC001.AwaitTask";

    public CONC001BlockingWaitCodeFix()
        : base(RuleIds.BlockingWait)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.AwaitTwin && plan.Name is { } twin
            ? "Await '" + (twin is "WhenAll" or "WhenAny" ? "Task." : string.Empty) + twin + "'"
            : "Await the task";
}
