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
        : base(RuleIds.BlockingPrimitive, EquivalenceKey)
    {
    }

    private protected override string Title(Diagnostic diagnostic) =>
        NameOf(diagnostic) == "WaitOneAsync" ? "Await 'WaitOneAsync' (ConcurrencyAnalyzers.Runtime)" : "Await '" + NameOf(diagnostic) + "'";
}
