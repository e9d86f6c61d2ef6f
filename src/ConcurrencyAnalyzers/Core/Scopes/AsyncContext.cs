using System.Linq;
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
                    {
                        return IsSynchronousHandlerOfASharedPath(lambda, containingSymbol, analysis)
                            ? null
                            : new AsyncContext(new FunctionScope(lambda.Symbol, lambda, lambda.Body, containingSymbol), inline);
                    }

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

    /// <summary>
    /// The synchronous twin of a handler in a shared sync/async engine: a lambda that is not <c>async</c>, takes the
    /// engine's async flag (a <c>bool</c> parameter whose name says async: <c>doAsync</c>), and is built by a
    /// synchronous method — the sync API hands the engine a handler that does its work synchronously and returns a
    /// completed task (<c>(stream, cmd, doAsync) =&gt; { stream.Write(…); return Task.CompletedTask; }</c> in
    /// <c>Authenticate</c>, an <c>async</c> one in <c>AuthenticateAsync</c>). Its body runs on the sync path.
    /// </summary>
    private static bool IsSynchronousHandlerOfASharedPath(IAnonymousFunctionOperation lambda, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        if (lambda.Symbol.IsAsync || !lambda.Symbol.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_Boolean && SharedCodePath.IsAsyncName(p.Name)))
            return false;
        for (var parent = lambda.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation outer:
                    return !analysis.IsAsyncFunction(outer.Symbol);
                case ILocalFunctionOperation local:
                    return !analysis.IsAsyncFunction(local.Symbol);
            }
        }

        return containingSymbol is IMethodSymbol method && !analysis.IsAsyncFunction(method);
    }
}
