using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC002: <c>Thread.Sleep(x)</c> with x ≠ 0 and <c>SpinWait.SpinUntil</c> with a timeout, in async context.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC002SleepAnalyzer : BlockingRuleAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.Sleep,
        title: "Do not sleep in async code",
        messageFormat: "'{0}' blocks the thread in async code; await 'Task.Delay' instead",
        RuleCategories.Blocking,
        description: "Sleeping in async code keeps a thread (often a thread-pool thread) doing nothing for the whole delay. " +
                     "'await Task.Delay' frees the thread and resumes when the time is up.");

    public CONC002SleepAnalyzer()
        : base(Descriptor, OperationKind.Invocation)
    {
    }
}
