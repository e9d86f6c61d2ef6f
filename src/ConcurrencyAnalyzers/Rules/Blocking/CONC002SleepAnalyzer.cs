using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC002: <c>Thread.Sleep(x)</c> (x ≠ 0) and <c>SpinWait.SpinUntil</c> with a timeout hold a thread in async context
/// for nothing; <c>await Task.Delay</c> releases it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC002SleepAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.Sleep,
        title: "Do not sleep in async code",
        messageFormat: "'{0}' blocks the thread in async code; await 'Task.Delay' instead",
        RuleCategories.Blocking,
        description: "Sleeping in async code keeps a thread (often a thread-pool thread) doing nothing for the whole delay. " +
                     "'await Task.Delay' frees the thread and resumes when the time is up.");

    public CONC002SleepAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownSymbols symbols)
    {
        if (symbols.Thread is null && symbols.SpinWait is null)
            return;
        var settings = new AnalyzerSettings(context.Compilation, context.Options);
        context.RegisterOperationAction(c => Analyze(c, symbols, settings), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols symbols, AnalyzerSettings settings)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        string what;
        bool fixable;
        if (method.Name == "Sleep" && KnownSymbols.Eq(method.ContainingType, symbols.Thread) && invocation.Arguments.Length == 1)
        {
            if (TimeoutArguments.IsZero(invocation.Arguments[0].Value))
                return; // Thread.Sleep(0) yields the rest of the time slice; it does not wait.
            what = "Thread.Sleep";
            fixable = true;
        }
        else if (method.Name == "SpinUntil" && KnownSymbols.Eq(method.ContainingType, symbols.SpinWait) && invocation.Arguments.Length == 2)
        {
            if (TimeoutArguments.IsZero(invocation.Arguments[1].Value))
                return;
            what = "SpinWait.SpinUntil";
            fixable = false; // A polling loop with Task.Delay changes the timing contract; left to the author.
        }
        else
        {
            return;
        }

        var site = BlockingSite.Find(invocation, context.ContainingSymbol, method, symbols, settings);
        if (site is null)
            return;
        var properties = fixable
            ? DiagnosticProperties.Create(FixKinds.Delay, "Delay", CancellationTokenInScope.Find(invocation, context.ContainingSymbol, symbols))
            : null;
        context.ReportDiagnostic(Diagnostic.Create(Descriptor, invocation.Syntax.GetLocation(), properties, what));
    }
}
