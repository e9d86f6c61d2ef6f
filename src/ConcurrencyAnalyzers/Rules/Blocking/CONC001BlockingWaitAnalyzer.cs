using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC001: <c>Wait()</c>, <c>.Result</c>, <c>GetAwaiter().GetResult()</c>, <c>Task.WaitAll</c> and <c>Task.WaitAny</c> in
/// async context block a thread until the task completes, which wastes it and can deadlock under a synchronization
/// context. Tasks known to be complete are not reported (<see cref="CompletedTaskAnalysis"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC001BlockingWaitAnalyzer : BlockingRuleAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.BlockingWait,
        title: "Do not block on tasks in async code",
        messageFormat: "'{0}' blocks the thread until {1}",
        RuleCategories.Blocking,
        description: "Waiting synchronously for a task inside async code holds a thread hostage and can deadlock when a " +
                     "synchronization context is present. Await the task: the thread returns to its caller until the result is ready.");

    public CONC001BlockingWaitAnalyzer()
        : base(Descriptor, OperationKind.Invocation, OperationKind.PropertyReference)
    {
    }
}
