using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.ThreadPool;

/// <summary>
/// CONC022: <c>Task.Run(() =&gt; File.ReadAllText(p))</c> — a pool thread held for the whole I/O, to fake an async
/// API that exists: call the twin directly (<see cref="WrappedSynchronousIO"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC022WrappedSynchronousIOAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.WrappedSynchronousIO,
        title: "Do not wrap synchronous I/O in Task.Run",
        messageFormat: "'{0}' runs synchronous '{1}' on a thread-pool thread; call '{2}' directly",
        RuleCategories.ThreadPool,
        description: "Wrapping a synchronous I/O call in Task.Run does not make it asynchronous: a pool thread blocks for the " +
                     "whole I/O instead of the caller's. When the API has an async counterpart, call it directly.");

    public CONC022WrappedSynchronousIOAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), OperationKind.Invocation);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var run = (IInvocationOperation)context.Operation;
        if (run.TargetMethod.Name is not ("Run" or "StartNew") || WrappedSynchronousIO.Of(run, context.ContainingSymbol, analysis) is not { } wrapped)
            return;
        var twin = wrapped.Blocking.Twin!;
        var runner = run.TargetMethod.Name == "Run" ? "Task.Run" : "Task.Factory.StartNew";
        var plan = UnwrapPlan(run, wrapped, analysis);
        context.ReportDiagnostic(Diagnostic.Create(
            Rule, run.Syntax.GetLocation(), ImmutableArray.Create(wrapped.Call.Syntax.GetLocation()), plan?.Encode(),
            runner, wrapped.Blocking.ShortName, twin.Method.Name));
    }

    /// <summary>
    /// The fix keeps the value and its shape: awaited, the twin's awaitable replaces the task; otherwise the twin must
    /// give the same task type, or a <c>ValueTask</c> of the same result (then <c>.AsTask()</c>). <c>StartNew</c> with
    /// options or a scheduler, and a <c>?.</c> call, get no fix.
    /// </summary>
    private static FixPlan? UnwrapPlan(IInvocationOperation run, WrappedSynchronousIO wrapped, ConcurrencyAnalysis analysis)
    {
        if (wrapped.Blocking.Plan is not { } twinPlan || twinPlan.Fixes.Length != 1 || twinPlan.Fixes[0] != FixKind.AwaitTwin
            || wrapped.Blocking.Operation is IInvocationOperation { Instance: IConditionalAccessInstanceOperation })
            return null;
        if (run.TargetMethod.Name == "StartNew" && run.Arguments.Length > 1)
            return null;
        var awaited = run.Parent is IAwaitOperation
            || run.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Parent: IAwaitOperation };
        if (awaited || run.IsValueDiscarded())
            return twinPlan.WithFixes(ImmutableArray.Create(FixKind.UnwrapTaskRun));
        var twinType = wrapped.Blocking.Twin!.Method.ReturnType;
        if (SymbolEqualityComparer.Default.Equals(twinType, run.Type))
            return twinPlan.WithFixes(ImmutableArray.Create(FixKind.UnwrapTaskRun));
        var tasks = analysis.Symbols.Tasks;
        var valueTask = KnownSymbols.Eq(twinType.OriginalDefinition, tasks.ValueTask) || KnownSymbols.Eq(twinType.OriginalDefinition, tasks.ValueTaskOfT);
        var sameResult = twinType is INamedTypeSymbol { TypeArguments: var twinArgs } && run.Type is INamedTypeSymbol { TypeArguments: var runArgs }
            && twinArgs.Length == runArgs.Length && (twinArgs.Length == 0 || SymbolEqualityComparer.Default.Equals(twinArgs[0], runArgs[0]));
        return valueTask && sameResult ? twinPlan.WithFixes(ImmutableArray.Create(FixKind.UnwrapTaskRun), asTask: true) : null;
    }
}
