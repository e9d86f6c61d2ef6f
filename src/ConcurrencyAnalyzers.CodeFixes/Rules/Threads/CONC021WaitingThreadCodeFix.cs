using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Threads;

/// <summary>
/// CONC021: a waiting thread → <c>Task.Run(async () =&gt; …)</c> whose sleeps are <c>await Task.Delay</c> (ended early by
/// the token the loop checks) and whose blocking I/O and waits are awaited; its joins wait on the task.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC021WaitingThreadCodeFix)), Shared]
public sealed class CONC021WaitingThreadCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of "make it an async loop on Task.Run".</summary>
    public const string EquivalenceKey = "CONC021.AsyncLoop";

    public CONC021WaitingThreadCodeFix()
        : base(RuleIds.WaitingThread)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) => "Wait asynchronously on Task.Run instead of holding a thread";
}
