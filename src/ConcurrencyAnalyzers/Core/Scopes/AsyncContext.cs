using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// A verdict about where an operation runs, in the terms of rules.md: on the path of an async function (an async or
/// awaitable-returning method, local function or lambda), directly or through synchronous lambdas that function runs
/// inline (LINQ operators, <c>List&lt;T&gt;.ForEach</c>…). <see cref="Scope"/> is that async function.
/// </summary>
internal sealed class AsyncContext
{
    private AsyncContext(FunctionScope scope, bool throughInlineLambda)
    {
        Scope = scope;
        ThroughInlineLambda = throughInlineLambda;
    }

    /// <summary>The async function whose path the operation is on.</summary>
    public FunctionScope Scope { get; }

    /// <summary>The operation sits in a synchronous lambda that the async function runs inline (no direct await).</summary>
    public bool ThroughInlineLambda { get; }

    public IMethodSymbol Function => Scope.Function;

    public IOperation Body => Scope.Body;

    /// <summary>The async context of <paramref name="operation"/>, or <see langword="null"/> when it is not in one.</summary>
    public static AsyncContext? Find(IOperation operation, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        var inline = false;
        var current = operation;
        for (var parent = operation.Parent; ; parent = parent.Parent)
        {
            switch (parent)
            {
                case null:
                    return containingSymbol is IMethodSymbol method && analysis.IsAsyncFunction(method)
                        ? new AsyncContext(new FunctionScope(method, null, current, containingSymbol), inline)
                        : null;
                case IAnonymousFunctionOperation lambda:
                    if (analysis.IsAsyncFunction(lambda.Symbol))
                        return new AsyncContext(new FunctionScope(lambda.Symbol, lambda, lambda.Body, containingSymbol), inline);
                    if (DelegateSite.Of(lambda, analysis.Symbols).Runs != DelegateRuns.Inline)
                        return null;
                    inline = true;
                    break;
                case ILocalFunctionOperation localFunction:
                    // A synchronous local function is not async context: a call of it is CONC005's business.
                    return analysis.IsAsyncFunction(localFunction.Symbol)
                        ? new AsyncContext(new FunctionScope(localFunction.Symbol, localFunction, (IOperation?)localFunction.Body ?? localFunction, containingSymbol), inline)
                        : null;
            }

            current = parent;
        }
    }
}
