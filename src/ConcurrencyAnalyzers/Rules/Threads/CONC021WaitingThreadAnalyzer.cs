using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Threads;

/// <summary>
/// CONC021: a dedicated thread that mostly waits (<see cref="ThreadWork"/>): its start delegate loops around a sleep, a
/// synchronous wait or synchronous I/O. Waiting needs no thread: an async loop waits without holding one.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC021WaitingThreadAnalyzer : ThreadRuleAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.WaitingThread,
        title: "Do not use dedicated threads to wait on I/O or timers",
        messageFormat: "'new Thread' is used to wait ({0}); use an async loop (await Task.Delay, a PeriodicTimer, the async I/O) instead",
        RuleCategories.Threads,
        description: "A thread that spends its life in Thread.Sleep, synchronous waits or synchronous I/O holds a megabyte of " +
                     "stack and a kernel thread to do nothing. An async loop — Task.Run(async () => …) with await Task.Delay or " +
                     "a PeriodicTimer, and the async I/O APIs — waits without holding a thread.");

    public CONC021WaitingThreadAnalyzer()
        : base(Descriptor, ThreadUse.Waiting)
    {
    }
}
