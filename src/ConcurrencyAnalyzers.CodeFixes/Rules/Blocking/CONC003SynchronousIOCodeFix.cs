using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Blocking;

/// <summary>
/// CONC003: <c>x.Read(…)</c> → <c>await x.ReadAsync(…, token)</c>; <c>using</c> → <c>await using</c>; a call listed in
/// <c>additional_blocking_apis</c> → also "run it on the blocking executor".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC003SynchronousIOCodeFix)), Shared]
public sealed class CONC003SynchronousIOCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of this fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC003.AwaitAsyncCounterpart";

    public CONC003SynchronousIOCodeFix()
        : base(RuleIds.SynchronousIO)
    {
    }

    /// <summary>The equivalence key of "run it on the blocking executor" (or <c>Task.Run</c>).</summary>
    public const string OffloadEquivalenceKey = "CONC003.OffloadBlockingCall";

    private protected override string KeyOf(FixKind kind) => kind == FixKind.OffloadCall ? OffloadEquivalenceKey : EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind switch
        {
            FixKind.OffloadCall => OffloadTitle(plan),
            FixKind.AwaitUsing => "Use 'await using'",
            FixKind.ConnectAfterCreate => "Create unconnected, then await '" + plan.Name + "'",
            _ => "Await '" + plan.Name + "'",
        };
}
