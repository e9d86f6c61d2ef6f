using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Where an operation runs, in the terms of rules.md: inside async context (an async or awaitable-returning method,
/// local function or lambda, or a synchronous lambda that such code runs inline, such as a LINQ operator's), or not.
/// </summary>
internal sealed class AsyncContext
{
    private AsyncContext(IMethodSymbol function, IOperation? functionOperation, IOperation body, bool throughInlineLambda)
    {
        Function = function;
        FunctionOperation = functionOperation;
        Body = body;
        ThroughInlineLambda = throughInlineLambda;
    }

    /// <summary>The async function whose path the operation is on.</summary>
    public IMethodSymbol Function { get; }

    /// <summary>The lambda or local function operation, or <see langword="null"/> for a member body.</summary>
    public IOperation? FunctionOperation { get; }

    /// <summary>The root operation of the async function's body (where earlier awaits are looked for).</summary>
    public IOperation Body { get; }

    /// <summary>The operation sits in a synchronous lambda that the async function runs inline (no direct await).</summary>
    public bool ThroughInlineLambda { get; }

    /// <summary>The async context of <paramref name="operation"/>, or <see langword="null"/> when it is not in one.</summary>
    public static AsyncContext? Find(IOperation operation, ISymbol containingSymbol, KnownSymbols symbols)
    {
        var inline = false;
        var current = operation;
        for (var parent = operation.Parent; ; parent = parent.Parent)
        {
            switch (parent)
            {
                case null:
                    return containingSymbol is IMethodSymbol method && AwaitableTypes.IsAsyncFunction(method, symbols)
                        ? new AsyncContext(method, null, current, inline)
                        : null;
                case IAnonymousFunctionOperation lambda:
                    if (AwaitableTypes.IsAsyncFunction(lambda.Symbol, symbols))
                        return new AsyncContext(lambda.Symbol, lambda, lambda.Body, inline);
                    if (!RunsInline(lambda, symbols))
                        return null;
                    inline = true;
                    break;
                case ILocalFunctionOperation localFunction:
                    return AwaitableTypes.IsAsyncFunction(localFunction.Symbol, symbols)
                        ? new AsyncContext(localFunction.Symbol, localFunction, (IOperation?)localFunction.Body ?? localFunction, inline)
                        : null;
            }

            current = parent;
        }
    }

    /// <summary>
    /// A synchronous lambda that its caller runs before going on: LINQ to Objects operators, <c>List&lt;T&gt;.ForEach</c>,
    /// <c>Array.ForEach</c>, <c>SpinWait.SpinUntil</c>. Anything else (Task.Run, threads, timers, events) runs elsewhere.
    /// </summary>
    private static bool RunsInline(IAnonymousFunctionOperation lambda, KnownSymbols symbols)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
            parent = parent.Parent;
        if (parent is not IArgumentOperation { Parent: IInvocationOperation invocation })
            return false;
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (KnownSymbols.Eq(type, symbols.Enumerable))
            return true;
        return method.Name switch
        {
            "ForEach" => KnownSymbols.Eq(type, symbols.ListOfT) || KnownSymbols.Eq(type, symbols.Array),
            "SpinUntil" => KnownSymbols.Eq(type, symbols.SpinWait),
            _ => false,
        };
    }
}
