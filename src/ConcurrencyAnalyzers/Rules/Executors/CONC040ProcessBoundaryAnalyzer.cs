using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Executors;

/// <summary>
/// CONC040: work sent to another process (<c>ProcessExecutor.RunAsync</c>) that cannot get there or back
/// (<see cref="ProcessBoundary"/>): a lambda that captures, an instance, bound, generic or async method, an argument or
/// result type System.Text.Json cannot round-trip. An error by default: the runtime rejects most of these at submit
/// time with an <c>ArgumentException</c>, and the rest lose data silently; here they are found at compile time.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC040ProcessBoundaryAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.ProcessBoundary,
        title: "Process executor work must cross the process boundary",
        messageFormat: "This work cannot run in a worker process: {0}",
        RuleCategories.Executors,
        description: "A worker process is another process: it finds the work by its static method and receives the argument, " +
                     "and sends back the result, as JSON. A lambda's captured variables, an object an instance method is bound to, " +
                     "a generic method, a ValueTask, and values System.Text.Json cannot rebuild (delegates, streams, pointers, interfaces " +
                     "without [JsonDerivedType], types without a usable constructor, members nothing can set, object) do not make the trip.",
        severity: DiagnosticSeverity.Error);

    public CONC040ProcessBoundaryAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var governed = new System.Lazy<System.Collections.Generic.ISet<ITypeSymbol>>(() => ProcessBoundary.ContextTypes(context.Compilation));
        context.RegisterOperationAction(c => Analyze(c, analysis, governed), OperationKind.Invocation);
    }

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis, System.Lazy<System.Collections.Generic.ISet<ITypeSymbol>> governed)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        // RunAsync<TArgument, TResult> (sync or Task<TResult> work), RunAsync<TArgument> (Task work, no result) and
        // MapAsync<TArgument, TResult> (its arguments travel in chunks, the same way).
        if (method.Name is not ("RunAsync" or "MapAsync") || analysis.Symbols.Libraries.ProcessExecutor is null || !KnownSymbols.Eq(method.ContainingType, analysis.Symbols.Libraries.ProcessExecutor) || method.TypeArguments.Length is not (1 or 2))
            return;
        var work = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "work");
        if (work is null)
            return;
        if (ProcessBoundary.WorkProblem(work.Value, analysis) is { } problem)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, work.Value.Syntax.GetLocation(), problem));
            return;
        }

        var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Name is "argument" or "arguments");
        if (ProcessBoundary.ValueProblem(method.TypeArguments[0], analysis, governed.Value) is { } argumentProblem)
            context.ReportDiagnostic(Diagnostic.Create(Rule, (argument?.Value.Syntax ?? call.Syntax).GetLocation(), "the argument cannot be sent: " + argumentProblem));
        else if (method.Name == "RunAsync" && argument is not null && ProcessBoundary.DerivedArgumentProblem(argument.Value, method.TypeArguments[0], governed.Value) is { } derivedProblem)
            context.ReportDiagnostic(Diagnostic.Create(Rule, argument.Value.Syntax.GetLocation(), "the argument cannot be sent: " + derivedProblem));
        else if (method.Name == "MapAsync" && call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "chunkSize") is { Value.ConstantValue: { HasValue: true, Value: int chunk } } chunkArgument && chunk < 1)
            context.ReportDiagnostic(Diagnostic.Create(Rule, chunkArgument.Value.Syntax.GetLocation(), "a chunk of " + chunk + " items sends nothing; the chunk size must be at least 1"));
        else if (method.TypeArguments.Length == 2 && ProcessBoundary.ValueProblem(method.TypeArguments[1], analysis, governed.Value) is { } resultProblem)
            context.ReportDiagnostic(Diagnostic.Create(Rule, work.Value.Syntax.GetLocation(), "the result cannot come back: " + resultProblem));
    }
}
