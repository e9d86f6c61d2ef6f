using Microsoft.CodeAnalysis;

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

    /// <summary>Whether <paramref name="operation"/> is this scope's body or its function operation.</summary>
    public bool IsRoot(IOperation operation) =>
        operation.Syntax == Body.Syntax || (FunctionOperation is not null && operation.Syntax == FunctionOperation.Syntax);
}
