using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC001: <c>Wait()</c>, <c>.Result</c>, <c>GetAwaiter().GetResult()</c>, <c>Task.WaitAll</c> and <c>Task.WaitAny</c> in
/// async context block a thread until the task completes, which wastes it and can deadlock under a synchronization context.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC001BlockingWaitAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.BlockingWait,
        title: "Do not block on tasks in async code",
        messageFormat: "'{0}' blocks the thread until the task completes; await the task instead",
        RuleCategories.Blocking,
        description: "Waiting synchronously for a task inside async code holds a thread hostage and can deadlock when a " +
                     "synchronization context is present. Await the task: the thread returns to its caller until the result is ready.");

    public CONC001BlockingWaitAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownSymbols symbols)
    {
        var settings = new AnalyzerSettings(context.Compilation, context.Options);
        var twins = new AsyncTwinFinder(symbols);
        context.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, settings, twins), OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeResult(c, symbols, settings), OperationKind.PropertyReference);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols symbols, AnalyzerSettings settings, AsyncTwinFinder twins)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Wait" when !method.IsStatic && symbols.IsTaskLike(method.ContainingType):
            {
                var site = BlockingSite.Find(invocation, context.ContainingSymbol, method, symbols, settings);
                if (site is null || CompletedTaskAnalysis.IsKnownComplete(invocation.Instance, invocation, site, symbols))
                    return;
                if (invocation.Arguments.Length == 0)
                {
                    Report(context, invocation, "Task.Wait()", DiagnosticProperties.Create(FixKinds.AwaitTask));
                    return;
                }

                // Wait(timeout) returns a bool that WaitAsync cannot give back: fixed only when nobody reads it.
                var twin = twins.Find(invocation, site, "WaitAsync", token: null);
                Report(context, invocation, "Task.Wait(…)", twin is null ? null : DiagnosticProperties.Create(FixKinds.AwaitTwin, twin.Method.Name));
                return;
            }

            case "GetResult" when symbols.Awaiters.Contains(method.ContainingType.OriginalDefinition):
            {
                var site = BlockingSite.Find(invocation, context.ContainingSymbol, method, symbols, settings);
                var awaiterSource = invocation.Instance?.WalkDownConversions() as IInvocationOperation;
                var task = awaiterSource is { TargetMethod.Name: "GetAwaiter" } ? awaiterSource.Instance : null;
                if (site is null || CompletedTaskAnalysis.IsKnownComplete(task, invocation, site, symbols))
                    return;
                Report(context, invocation, "GetAwaiter().GetResult()", task is null ? null : DiagnosticProperties.Create(FixKinds.AwaitTask));
                return;
            }

            case "WaitAll" or "WaitAny" when method.IsStatic && KnownSymbols.Eq(method.ContainingType, symbols.Task):
            {
                var site = BlockingSite.Find(invocation, context.ContainingSymbol, method, symbols, settings);
                if (site is null)
                    return;
                var twin = twins.Find(invocation, site, method.Name == "WaitAll" ? "WhenAll" : "WhenAny", token: null);
                Report(context, invocation, "Task." + method.Name, twin is null ? null : DiagnosticProperties.Create(FixKinds.AwaitTwin, twin.Method.Name));
                return;
            }
        }
    }

    private static void AnalyzeResult(OperationAnalysisContext context, KnownSymbols symbols, AnalyzerSettings settings)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.Name != "Result" || reference.Instance is null)
            return;
        var type = reference.Property.ContainingType.OriginalDefinition;
        if (!KnownSymbols.Eq(type, symbols.TaskOfT) && !KnownSymbols.Eq(type, symbols.ValueTaskOfT))
            return;
        var site = BlockingSite.Find(reference, context.ContainingSymbol, reference.Property.GetMethod, symbols, settings);
        if (site is null || CompletedTaskAnalysis.IsKnownComplete(reference.Instance, reference, site, symbols))
            return;
        Report(context, reference, type.Name + "<T>.Result", DiagnosticProperties.Create(FixKinds.AwaitTask));
    }

    private static void Report(OperationAnalysisContext context, IOperation operation, string what, System.Collections.Immutable.ImmutableDictionary<string, string?>? properties) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptor, operation.Syntax.GetLocation(), properties, what));
}
