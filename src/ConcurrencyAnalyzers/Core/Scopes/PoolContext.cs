using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// A verdict about where an operation runs, in the terms of rules.md: in a synchronous delegate queued to the shared
/// thread pool (<c>Task.Run</c>, <c>StartNew</c> without <c>LongRunning</c>, <c>QueueUserWorkItem</c>, <c>Parallel.*</c>
/// bodies, timer callbacks), directly or through lambdas that delegate runs inline. An async lambda is async context
/// instead (CONC001–CONC005 report there), and a local function is its own function.
/// </summary>
internal sealed class PoolContext
{
    private PoolContext(FunctionScope scope, DelegateSite site, IAnonymousFunctionOperation lambda)
    {
        Scope = scope;
        Site = site;
        Lambda = lambda;
    }

    /// <summary>The pool-queued delegate as a function.</summary>
    public FunctionScope Scope { get; }

    /// <summary>Where it is queued (the <c>Task.Run</c> call, the <c>Timer</c> construction).</summary>
    public DelegateSite Site { get; }

    public IAnonymousFunctionOperation Lambda { get; }

    /// <summary>How a message names the queue: <c>Task.Run</c>, <c>Parallel.ForEach</c>, <c>a Timer callback</c>.</summary>
    public string Queue => Site.Invocation is { TargetMethod: var method }
        ? (method.Name == "StartNew" ? "Task.Factory.StartNew" : method.ContainingType.Name + "." + method.Name)
        : "a Timer callback";

    public static PoolContext? Find(IOperation operation, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    if (analysis.IsAsyncFunction(lambda.Symbol))
                        return null;
                    var site = DelegateSite.Of(lambda, analysis.Symbols);
                    if (site.Runs == DelegateRuns.ThreadPool)
                        return new PoolContext(new FunctionScope(lambda.Symbol, lambda, lambda.Body, containingSymbol), site, lambda);
                    if (site.Runs != DelegateRuns.Inline)
                        return null;
                    break;
                case ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }
}
