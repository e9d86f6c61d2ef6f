using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Threads;

/// <summary>
/// CONC020: a dedicated thread for CPU-bound work (<see cref="ThreadWork"/>): its start delegate computes and never
/// waits, or it is created per item inside a loop. Compute belongs on a pool of workers sized to the cores.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC020ComputeThreadAnalyzer : ThreadRuleAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.ComputeThread,
        title: "Do not use dedicated threads for CPU-bound work",
        messageFormat: "'new Thread' is used for CPU-bound work ({0}); run it on the compute executor, Task.Run or Parallel instead",
        RuleCategories.Threads,
        description: "A thread of its own costs a megabyte of stack and a kernel object, and threads started per item outnumber " +
                     "the cores and fight over them. CPU-bound work belongs on workers sized to the machine: the compute " +
                     "ThreadExecutor, Task.Run, or Parallel.For/ForEach for a loop of items.");

    public CONC020ComputeThreadAnalyzer()
        : base(Descriptor, ThreadUse.Compute, ThreadUse.PerItem)
    {
    }
}
