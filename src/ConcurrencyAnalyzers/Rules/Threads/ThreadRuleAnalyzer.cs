using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Threads;

/// <summary>
/// The shape of CONC020 and CONC021: one verdict per <c>new Thread(…)</c> (<see cref="ThreadWork"/>, judged once for
/// both), reported on the creation by the rule that owns its use.
/// </summary>
public abstract class ThreadRuleAnalyzer : ConcurrencyAnalyzer
{
    private readonly ThreadUse[] _uses;

    private protected ThreadRuleAnalyzer(DiagnosticDescriptor rule, params ThreadUse[] uses)
        : base(rule) =>
        _uses = uses;

    private protected sealed override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), OperationKind.ObjectCreation);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (analysis.ThreadVerdictOf(creation, context.ContainingSymbol) is { } verdict && System.Array.IndexOf(_uses, verdict.Use) >= 0)
            context.ReportDiagnostic(Diagnostic.Create(Rule, creation.Syntax.GetLocation(), verdict.Reason));
    }
}
