using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// A function and its body — a fact, not a verdict: a method, local function, lambda or anonymous method. The blocking
/// classifier and the completed-task analysis work over a scope whether the function is async or not.
/// </summary>
internal sealed class FunctionScope
{
    public FunctionScope(IMethodSymbol function, IOperation? functionOperation, IOperation body, ISymbol member)
    {
        Function = function;
        FunctionOperation = functionOperation;
        Body = body;
        Member = member;
    }

    /// <summary>The function symbol (the lambda's or local function's own symbol for those).</summary>
    public IMethodSymbol Function { get; }

    /// <summary>The lambda or local function operation, or <see langword="null"/> for a member body.</summary>
    public IOperation? FunctionOperation { get; }

    /// <summary>The root operation of the body: where earlier awaits, writes and guards are looked for.</summary>
    public IOperation Body { get; }

    /// <summary>The member the function is declared in (its parameters are in scope in lambdas and local functions).</summary>
    public ISymbol Member { get; }

    /// <summary>The scope of the innermost function around <paramref name="operation"/>.</summary>
    public static FunctionScope? Of(IOperation operation, ISymbol containingSymbol)
    {
        var current = operation;
        for (var parent = operation.Parent; ; parent = parent.Parent)
        {
            switch (parent)
            {
                case null:
                    return containingSymbol is IMethodSymbol method ? new FunctionScope(method, null, current, containingSymbol) : null;
                case IAnonymousFunctionOperation lambda:
                    return new FunctionScope(lambda.Symbol, lambda, lambda.Body, containingSymbol);
                case ILocalFunctionOperation localFunction:
                    return new FunctionScope(localFunction.Symbol, localFunction, (IOperation?)localFunction.Body ?? localFunction, containingSymbol);
            }

            current = parent;
        }
    }

    /// <summary>Whether <paramref name="operation"/> is this scope's body or its function operation.</summary>
    public bool IsRoot(IOperation operation) =>
        operation.Syntax == Body.Syntax || (FunctionOperation is not null && operation.Syntax == FunctionOperation.Syntax);
}
