using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC004: waiting on a synchronization primitive (<c>SemaphoreSlim.Wait</c>, <c>WaitHandle.WaitOne</c>,
/// <c>ManualResetEventSlim.Wait</c>, <c>Thread.Join</c>, <c>Monitor.Wait</c>, …) in async context blocks the thread.
/// A zero timeout polls and is not flagged; <c>lock</c> statements are not flagged.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC004BlockingPrimitiveAnalyzer : BlockingRuleAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.BlockingPrimitive,
        title: "Do not block on synchronization primitives in async code",
        messageFormat: "'{0}' blocks the thread in async code; {1}",
        RuleCategories.Blocking,
        description: "Blocking waits on semaphores, events, wait handles, joins and monitors hold a thread in async code. " +
                     "Use the primitive's async wait (SemaphoreSlim.WaitAsync, the runtime library's WaitOneAsync) or an async coordination type.");

    public CONC004BlockingPrimitiveAnalyzer()
        : base(Descriptor, OperationKind.Invocation)
    {
    }
}
