using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Compute;

/// <summary>
/// CONC011: a call of a CPU-heavy API (<see cref="CpuHeavyApis"/>) on an async path. It holds the thread that runs the
/// async code — before the first <c>await</c>, the caller's (a request thread, a UI thread) — for the whole computation.
/// Work already moved off the path (a lambda given to <c>Task.Run</c>, <c>Parallel</c>, a <c>ThreadExecutor</c>) is not
/// reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC011CpuHeavyCallAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.CpuHeavyCall,
        title: "Offload CPU-heavy calls from async code",
        messageFormat: "'{0}' is CPU-bound work ({1}) on an async path {2}; run it on a compute worker",
        RuleCategories.Compute,
        description: "Async code is for waiting without holding a thread. A CPU-heavy call in it — key derivation, asymmetric " +
                     "key generation, compression at the highest levels, password hashing — holds the thread that runs the async " +
                     "code for the whole computation: before the first await that is the caller's thread (a request or UI " +
                     "thread). Run it on the compute executor, or Task.Run.");

    public CONC011CpuHeavyCallAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), OperationKind.Invocation, OperationKind.ObjectCreation);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var operation = context.Operation;
        var tree = operation.Syntax.SyntaxTree;
        if (analysis.CpuHeavy.Classify(operation, analysis.Settings.AdditionalCpuHeavyApis(tree)) is not { } heavy || operation.IsInsideNameOf())
            return;
        var method = operation is Microsoft.CodeAnalysis.Operations.IInvocationOperation call ? call.TargetMethod
            : ((Microsoft.CodeAnalysis.Operations.IObjectCreationOperation)operation).Constructor;
        if (method is not null && analysis.Settings.ExcludedApis(tree).Contains(method))
            return;
        if (AsyncContext.Find(operation, context.ContainingSymbol, analysis) is not { } asyncContext || ComputeOffload.IsOffloaded(asyncContext, analysis))
            return;
        if (analysis.Loops.ReportedLoopAround(operation, asyncContext) is not null)
            return; // CONC010 reports the loop it runs in, and offloads the whole loop

        var plan = ComputeOffload.Plan(FixKind.OffloadCall, operation, asyncContext, analysis);
        var where = ComputeOffload.Where(operation, asyncContext, analysis);
        context.ReportDiagnostic(Diagnostic.Create(
            Rule, operation.Syntax.GetLocation(), ImmutableArray.Create(operation.Syntax.GetLocation()), plan.Encode(), heavy.Display, heavy.Work, where));
    }
}
