using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Boundaries;

/// <summary>
/// CONC031: <c>Parallel.ForEach(src, async x =&gt; …)</c> → <c>await Parallel.ForEachAsync(src[, token], async (x, ct) =&gt; …)</c>
/// (<c>For</c> → <c>ForAsync</c>); <c>list.ForEach(async x =&gt; …)</c> → a <c>foreach</c> that awaits.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC031AsyncVoidDelegateCodeFix)), Shared]
public sealed class CONC031AsyncVoidDelegateCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of both actions (a diagnostic offers one of them; dotnet format fixes by the first's key).</summary>
    public const string EquivalenceKey = "CONC031.AwaitTheWork";

    public CONC031AsyncVoidDelegateCodeFix()
        : base(RuleIds.AsyncVoidDelegate)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.ParallelAsync ? "Await Parallel." + plan.Name + " with the async body" : "Await each item in a foreach loop";
}
