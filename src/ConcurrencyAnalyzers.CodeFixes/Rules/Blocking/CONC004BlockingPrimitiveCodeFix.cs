using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Blocking;

/// <summary>CONC004: <c>sem.Wait(…)</c> → <c>await sem.WaitAsync(…, token)</c>; <c>handle.WaitOne(…)</c> → the runtime's <c>await handle.WaitOneAsync(…)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC004BlockingPrimitiveCodeFix)), Shared]
public sealed class CONC004BlockingPrimitiveCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of this fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC004.AwaitAsyncWait";

    public CONC004BlockingPrimitiveCodeFix()
        : base(RuleIds.BlockingPrimitive)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.WaitOneAsync ? "Await 'WaitOneAsync' (ConcurrencyAnalyzers.Runtime)" : "Await '" + plan.Name + "'";
}
