using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.ThreadPool;

/// <summary>CONC023: <c>Task.Run(blocking)</c> → <c>ThreadExecutor.Blocking.RunAsync(blocking)</c>, off the shared pool.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC023PoolBlockingCodeFix)), Shared]
public sealed class CONC023PoolBlockingCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of this fix (Fix All groups by it).</summary>
    public const string EquivalenceKey = "CONC023.RunOnBlockingExecutor";

    public CONC023PoolBlockingCodeFix()
        : base(RuleIds.PoolBlocking)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) => "Run it on the blocking executor (ThreadExecutor.Blocking)";
}
