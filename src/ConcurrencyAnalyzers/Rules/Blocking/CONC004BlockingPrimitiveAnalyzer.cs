using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC004: waiting on a synchronization primitive (<c>SemaphoreSlim.Wait</c>, <c>WaitHandle.WaitOne</c>,
/// <c>ManualResetEventSlim.Wait</c>, <c>Thread.Join</c>, <c>Monitor.Wait</c>, …) in async context blocks the thread.
/// A zero timeout polls and is not flagged; <c>lock</c> statements are not flagged.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC004BlockingPrimitiveAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.BlockingPrimitive,
        title: "Do not block on synchronization primitives in async code",
        messageFormat: "'{0}' blocks the thread in async code; {1}",
        RuleCategories.Blocking,
        description: "Blocking waits on semaphores, events, wait handles, joins and monitors hold a thread in async code. " +
                     "Use the primitive's async wait (SemaphoreSlim.WaitAsync, the runtime library's WaitOneAsync) or an async coordination type.");

    public CONC004BlockingPrimitiveAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownSymbols symbols)
    {
        var settings = new AnalyzerSettings(context.Compilation, context.Options);
        var twins = new AsyncTwinFinder(symbols);
        context.RegisterOperationAction(c => Analyze(c, symbols, settings, twins), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols symbols, AnalyzerSettings settings, AsyncTwinFinder twins)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var primitive = Classify(method, symbols);
        if (primitive is null || TimeoutArguments.HasZeroTimeout(invocation, symbols))
            return;
        var site = BlockingSite.Find(invocation, context.ContainingSymbol, method, symbols, settings);
        if (site is null)
            return;

        var token = CancellationTokenInScope.Find(invocation, context.ContainingSymbol, symbols);
        string advice;
        System.Collections.Immutable.ImmutableDictionary<string, string?>? properties = null;
        if (primitive == Primitive.Semaphore && twins.Find(invocation, site, "WaitAsync", token) is { } twin)
        {
            advice = "await 'WaitAsync' instead";
            properties = DiagnosticProperties.Create(FixKinds.AwaitTwin, twin.Method.Name, twin.ForwardsToken ? token : null);
        }
        else if (primitive == Primitive.WaitHandle && method.Name == "WaitOne" && invocation.Arguments.Length <= 1
                 && symbols.ConcurrencyRuntimeWaitHandleExtensions is not null
                 && !KnownSymbols.InheritsFrom(invocation.Instance?.Type, symbols.Mutex)) // a Mutex is owned by the thread that waits
        {
            advice = "await 'WaitOneAsync' from ConcurrencyAnalyzers.Runtime instead";
            var alreadyHasToken = invocation.Arguments.Length == 1 && KnownSymbols.Eq(invocation.Arguments[0].Value.Type, symbols.CancellationToken);
            properties = DiagnosticProperties.Create(FixKinds.WaitOneAsync, "WaitOneAsync", alreadyHasToken ? null : token);
        }
        else
        {
            advice = primitive switch
            {
                Primitive.WaitHandle when KnownSymbols.InheritsFrom(invocation.Instance?.Type, symbols.Mutex) =>
                    "a Mutex is owned by the thread that acquired it; use SemaphoreSlim.WaitAsync for async code instead",
                Primitive.WaitHandle => "await the handle asynchronously (ConcurrencyAnalyzers.Runtime's WaitOneAsync) instead",
                Primitive.Join => "await a Task representing the thread's work instead",
                _ => "use an async coordination primitive (SemaphoreSlim.WaitAsync, TaskCompletionSource, Channel) instead",
            };
        }

        var what = method.ContainingType.Name + "." + method.Name;
        context.ReportDiagnostic(Diagnostic.Create(Descriptor, invocation.Syntax.GetLocation(), properties, what, advice));
    }

    private enum Primitive
    {
        Semaphore,
        WaitHandle,
        Join,
        Other,
    }

    private static Primitive? Classify(IMethodSymbol method, KnownSymbols symbols)
    {
        var type = method.ContainingType?.OriginalDefinition;
        switch (method.Name)
        {
            case "Wait" when KnownSymbols.Eq(type, symbols.SemaphoreSlim):
                return Primitive.Semaphore;
            case "WaitOne" or "WaitAll" or "WaitAny" when KnownSymbols.InheritsFrom(type, symbols.WaitHandle):
                return Primitive.WaitHandle;
            case "Join" when KnownSymbols.Eq(type, symbols.Thread):
                return Primitive.Join;
            case "Wait" when KnownSymbols.Eq(type, symbols.ManualResetEventSlim) || KnownSymbols.Eq(type, symbols.Monitor) || KnownSymbols.Eq(type, symbols.CountdownEvent):
            case "SignalAndWait" when KnownSymbols.Eq(type, symbols.Barrier):
            case "Take" or "GetConsumingEnumerable" when KnownSymbols.Eq(type, symbols.BlockingCollectionOfT):
            case "EnterReadLock" or "EnterWriteLock" or "EnterUpgradeableReadLock" or "TryEnterReadLock" or "TryEnterWriteLock" or "TryEnterUpgradeableReadLock"
                when KnownSymbols.Eq(type, symbols.ReaderWriterLockSlim):
                return Primitive.Other;
            default:
                return null;
        }
    }
}
