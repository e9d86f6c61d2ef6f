using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Threads;

/// <summary>
/// The shape of CONC020 and CONC021: one verdict per <c>new Thread(…)</c> (<see cref="ThreadWork"/>, judged once for
/// both), reported on the creation by the rule that owns its use, with the plan that turns it into a task or a
/// <c>Parallel</c> loop when the thread's life allows (<see cref="ThreadConversion"/>, <see cref="ThreadsPerItem"/>).
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
        if (analysis.ThreadVerdictOf(creation, context.ContainingSymbol) is not { } verdict || System.Array.IndexOf(_uses, verdict.Use) < 0)
            return;
        if (ThreadConversion.Plan(creation, verdict, context.ContainingSymbol, analysis) is { } fix)
            context.ReportDiagnostic(Diagnostic.Create(Rule, creation.Syntax.GetLocation(), System.Collections.Immutable.ImmutableArray.Create(fix.Construct), fix.Plan.Encode(), verdict.Reason));
        else
            context.ReportDiagnostic(Diagnostic.Create(Rule, creation.Syntax.GetLocation(), verdict.Reason));
    }
}
