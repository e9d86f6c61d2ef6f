using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC005: in async context, a call of a synchronous method, local function, property or indexer getter, or
/// constructor defined in this compilation whose body blocks — itself or through a chain of such calls
/// (<see cref="BlockingSummaries"/>). Reported at the call, with the chain in the message. A call of a source method
/// whose body is visible is judged by that body only: CONC003 does not report it by its <c>…Async</c> sibling's name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC005BlockingHelperAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.BlockingHelper,
        title: "Do not call blocking methods from async code",
        messageFormat: "'{0}' blocks: {1}",
        RuleCategories.Blocking,
        description: "A synchronous helper that blocks — a sync wait, a sleep, synchronous I/O, a blocking lock, in its own " +
                     "body or in the helpers it calls — blocks the async code that calls it just the same. Await its async " +
                     "counterpart, or move the call off the async path.");

    public CONC005BlockingHelperAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.ObjectCreation);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var operation = context.Operation;
        analysis.Offer(operation.SemanticModel);
        if (BlockingSummaries.TargetOf(operation) is not { } target || !analysis.Summaries.IsJudgedByBody(target) || operation.IsInsideNameOf())
            return;
        var asyncContext = AsyncContext.Find(operation, context.ContainingSymbol, analysis);
        if (asyncContext is null || !analysis.Summaries.IsFollowedCall(operation, asyncContext.Scope, out _))
            return;
        // Read() inside Task<int> ReadAsync() => Task.FromResult(Read()): the pair of one API, as for CONC003.
        if (operation is IInvocationOperation call && AsyncTwinFinder.IsCounterpartOfEnclosing(call, asyncContext.Function, target.Name + "Async"))
            return;
        var tree = operation.Syntax.SyntaxTree;
        if (analysis.Summaries.At(operation, target, analysis.Settings.MaxDepth(tree)) is not { } summary)
            return;

        var token = CancellationTokenInScope.Find(operation, asyncContext.Scope.Member, analysis.Symbols);
        FixPlan plan;
        if (operation is IInvocationOperation invocation && analysis.Twins.Find(invocation, asyncContext.Scope, null, token) is { } twin)
            plan = FixPlan.AwaitTwin(twin, token); // the sibling, when it binds and is not a wrapper of this very call
        else
            plan = new FixPlan(ImmutableArray<FixKind>.Empty, token: token).WithOffload(FixKind.OffloadCall, analysis.Settings.OffloadTarget(tree), ExecutorPool.Blocking);
        var name = BlockingSummaries.NameOf(target) + (target.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction ? "()" : string.Empty);
        context.ReportDiagnostic(Diagnostic.Create(
            Rule, operation.Syntax.GetLocation(), ImmutableArray.Create(operation.Syntax.GetLocation()), plan.Encode(), name, summary.ToString()));
    }
}
