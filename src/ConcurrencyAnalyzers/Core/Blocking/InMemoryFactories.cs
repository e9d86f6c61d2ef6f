using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Source methods that only ever hand out in-memory values: a factory such as
/// <c>protected virtual Stream CreateStream(int n) =&gt; n &gt; 4096 ? new MemoryStream() : new MemoryStream(n);</c>. A
/// method qualifies when it returns at least one value and every value it returns is a no-I/O value
/// (<see cref="NoIOApis.IsNoIOValue"/>) — and, when it can be overridden or implemented, so does every override and
/// implementation the compilation declares (the same trust CONC003 gives an interface's source implementations). A factory
/// whose returns call another factory is not followed further, so a verdict never depends on which call asked first; it is
/// computed once per method.
/// </summary>
internal sealed class InMemoryFactories
{
    private readonly KnownSymbols _symbols;
    private readonly System.Func<IMethodSymbol, IOperation?> _bodyOf;
    private readonly System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>> _implementationsOf;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _verdicts = new(SymbolEqualityComparer.Default);

    public InMemoryFactories(KnownSymbols symbols, System.Func<IMethodSymbol, IOperation?> bodyOf, System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>> implementationsOf)
    {
        _symbols = symbols;
        _bodyOf = bodyOf;
        _implementationsOf = implementationsOf;
    }

    /// <summary>Whether every value <paramref name="method"/> (and each of its source overrides) returns is in memory.</summary>
    public bool ReturnsOnlyInMemoryValues(IMethodSymbol method)
    {
        if (method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
            return false;
        return _verdicts.GetOrAdd(method.OriginalDefinition, Judge);
    }

    private bool Judge(IMethodSymbol method)
    {
        var judged = new List<IMethodSymbol>();
        if (!method.IsAbstract)
            judged.Add(method);
        if (method.IsAbstract || method.IsVirtual || (method.IsOverride && !method.IsSealed) || method.ContainingType?.TypeKind == TypeKind.Interface)
            judged.AddRange(_implementationsOf(method));
        if (judged.Count == 0)
            return false;
        foreach (var candidate in judged)
        {
            if (_bodyOf(candidate) is not { } body || !AllReturnsInMemory(body))
                return false;
        }

        return true;
    }

    private bool AllReturnsInMemory(IOperation body)
    {
        var any = false;
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation && !ReferenceEquals(operation, body))
                continue; // their returns are their own
            if (operation is IReturnOperation { Kind: OperationKind.Return } ret)
            {
                if (ret.ReturnedValue is not { } value || !NoIOApis.IsNoIOValue(value, _symbols))
                    return false;
                any = true;
                continue;
            }

            if (operation is IReturnOperation or IThrowOperation)
                continue; // yield return / throw: nothing handed out here that matters
            foreach (var child in operation.ChildOperations)
                pending.Push(child);
        }

        return any;
    }
}
