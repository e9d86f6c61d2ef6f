using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The shape of CONC001–CONC004: classify, find the context, report. The classifier names the API and so the rule
/// that owns it; only operations in async context are classified in full; the diagnostic carries the classifier's fix
/// plan and its operand (as the first additional location).
/// </summary>
public abstract class BlockingRuleAnalyzer : ConcurrencyAnalyzer
{
    private readonly ImmutableArray<OperationKind> _kinds;
    private readonly bool _ownsSynchronousCalls;

    private protected BlockingRuleAnalyzer(DiagnosticDescriptor rule, params OperationKind[] kinds)
        : base(rule)
    {
        _kinds = ImmutableArray.Create(kinds);
        _ownsSynchronousCalls = BlockingKinds.RuleOf(BlockingApi.SynchronousCall) == rule.Id;
    }

    private protected sealed override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), _kinds);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var operation = context.Operation;
        analysis.Offer(operation.SemanticModel);
        var api = analysis.Classifier.Candidate(operation, withSynchronousCalls: _ownsSynchronousCalls);
        if (api is null || BlockingKinds.RuleOf(api.Value) != Rule.Id)
            return;
        var asyncContext = AsyncContext.Find(operation, context.ContainingSymbol, analysis);
        if (asyncContext is null)
            return;
        var blocking = analysis.Classifier.Classify(operation, api.Value, asyncContext.Scope);
        if (blocking is null)
            return;
        var additional = blocking.Operand is { } operand ? ImmutableArray.Create(operand.Syntax.GetLocation()) : ImmutableArray<Location>.Empty;
        var advice = blocking.Advice ?? (blocking.Kind == BlockingKind.TaskWait ? TaskWaitAdvice(blocking.Api) : null);
        var arguments = advice is null ? new object[] { blocking.Display } : new object[] { blocking.Display, advice };
        context.ReportDiagnostic(Diagnostic.Create(Rule, blocking.Location, additional, blocking.Plan?.Encode(), arguments));
    }

    /// <summary>CONC001's message names what its fix writes: <c>await</c> the task, or the <c>WhenAll</c>/<c>WhenAny</c> twin.</summary>
    private static string TaskWaitAdvice(BlockingApi api) => api switch
    {
        BlockingApi.TaskWaitAll => "all the tasks complete; use 'await Task.WhenAll' instead",
        BlockingApi.TaskWaitAny => "one of the tasks completes; use 'await Task.WhenAny' instead",
        _ => "the task completes; await the task instead",
    };
}
