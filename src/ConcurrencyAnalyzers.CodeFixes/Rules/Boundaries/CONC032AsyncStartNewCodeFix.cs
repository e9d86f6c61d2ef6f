using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes.Rules.Boundaries;

/// <summary>CONC032: <c>Task.Factory.StartNew(async …)</c> → <c>Task.Run(async …)</c>; with options or a scheduler, <c>.Unwrap()</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CONC032AsyncStartNewCodeFix)), Shared]
public sealed class CONC032AsyncStartNewCodeFix : BlockingCodeFix
{
    /// <summary>The equivalence key of both actions (a diagnostic offers one of them).</summary>
    public const string EquivalenceKey = "CONC032.UnwrapTheTask";

    public CONC032AsyncStartNewCodeFix()
        : base(RuleIds.AsyncStartNew)
    {
    }

    private protected override string KeyOf(FixKind kind) => EquivalenceKey;

    private protected override string Title(FixKind kind, FixPlan plan) =>
        kind == FixKind.TaskRun ? "Use Task.Run, which unwraps the async delegate's task" : "Unwrap() the task of the async delegate";
}
