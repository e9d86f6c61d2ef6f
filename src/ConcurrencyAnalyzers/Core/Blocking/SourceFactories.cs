using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// What source methods hand out, for the values a <c>using</c> or a call receives from them. First, whether they only
/// ever hand out in-memory values: a factory such as
/// <c>protected virtual Stream CreateStream(int n) =&gt; n &gt; 4096 ? new MemoryStream() : new MemoryStream(n);</c>. A
/// method qualifies when it returns at least one value and every value it returns is a no-I/O value
/// (<see cref="NoIOApis.IsNoIOValue"/>) — and, when it can be overridden or implemented, so does every override and
/// implementation the compilation declares (the same trust CONC003 gives an interface's source implementations). A factory
/// whose returns call another factory is not followed further, so a verdict never depends on which call asked first; it is
/// computed once per method. Second, the concrete types of the values they return
/// (<see cref="ReturnedTypes"/>): <c>return new ClickHouseDataReader(…)</c> behind a <c>Task&lt;DbDataReader&gt;</c>.
/// </summary>
internal sealed class SourceFactories
{
    private readonly KnownSymbols _symbols;
    private readonly System.Func<IMethodSymbol, IOperation?> _bodyOf;
    private readonly System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>> _implementationsOf;
    private readonly ConcurrentDictionary<IMethodSymbol, int[]?> _verdicts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyList<ITypeSymbol>?> _returnedTypes = new(SymbolEqualityComparer.Default);

    public SourceFactories(KnownSymbols symbols, System.Func<IMethodSymbol, IOperation?> bodyOf, System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>> implementationsOf, CallSites callSites)
    {
        CallSites = callSites;
        _symbols = symbols;
        _bodyOf = bodyOf;
        _implementationsOf = implementationsOf;
    }

    /// <summary>The arguments the compilation passes to a parameter of a method only it can call (<see cref="ConcurrencyAnalyzers.CallSites"/>).</summary>
    public CallSites CallSites { get; }

    /// <summary>
    /// Whether every value <paramref name="method"/> (and each of its source overrides) returns is in memory, or one of
    /// its own parameters (<c>CommitStream(Stream stream, …) =&gt; stream</c>): <see langword="null"/> when not, else the
    /// ordinals of the parameters it may hand back, whose arguments the caller must judge (empty: in memory whatever
    /// it is given).
    /// </summary>
    public int[]? InMemoryUnlessPassed(IMethodSymbol method)
    {
        if (method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
            return null;
        return _verdicts.GetOrAdd(method.OriginalDefinition, Judge);
    }

    /// <summary>
    /// The static types of the values <paramref name="method"/> and each of its source overrides return, after implicit
    /// and explicit conversions (<c>return new Reader(…)</c> in a method declared <c>Task&lt;DbDataReader&gt;</c> gives
    /// <c>Reader</c>); <see langword="null"/> when a body is not visible or a return has no type.
    /// </summary>
    public IReadOnlyList<ITypeSymbol>? ReturnedTypes(IMethodSymbol method)
    {
        if (method.ReturnsVoid || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
            return null;
        return _returnedTypes.GetOrAdd(method.OriginalDefinition, m =>
        {
            var types = new List<ITypeSymbol>();
            foreach (var candidate in Judged(m))
            {
                if (_bodyOf(candidate) is not { } body)
                    return null;
                foreach (var value in Returns(body))
                {
                    if (value?.WalkDownConversions().Type is not { TypeKind: not TypeKind.Error } type)
                        return null;
                    if (!types.Contains(type, SymbolEqualityComparer.Default))
                        types.Add(type);
                }
            }

            return types.Count > 0 ? types : null;
        });
    }

    private int[]? Judge(IMethodSymbol method)
    {
        var judged = Judged(method);
        if (judged.Count == 0)
            return null;
        var passed = new SortedSet<int>();
        foreach (var candidate in judged)
        {
            if (_bodyOf(candidate) is not { } body)
                return null;
            var any = false;
            foreach (var value in Returns(body))
            {
                if (value?.WalkDownConversions() is IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, ContainingSymbol: IMethodSymbol owner } parameter }
                    && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, candidate.OriginalDefinition))
                    passed.Add(parameter.Ordinal);
                else if (value is null || !NoIOApis.IsNoIOValue(value, _symbols))
                    return null;
                any = true;
            }

            if (!any)
                return null;
        }

        return passed.ToArray();
    }

    /// <summary>The method, unless abstract, and every source override or implementation when it can be overridden.</summary>
    private List<IMethodSymbol> Judged(IMethodSymbol method)
    {
        var judged = new List<IMethodSymbol>();
        if (!method.IsAbstract)
            judged.Add(method);
        if (method.IsAbstract || method.IsVirtual || (method.IsOverride && !method.IsSealed) || method.ContainingType?.TypeKind == TypeKind.Interface)
            judged.AddRange(_implementationsOf(method));
        return judged;
    }

    /// <summary>The values a body returns (<see langword="null"/> for a <c>return;</c>), not those of its lambdas and local functions.</summary>
    private static IEnumerable<IOperation?> Returns(IOperation body)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation && !ReferenceEquals(operation, body))
                continue; // their returns are their own
            if (operation is IReturnOperation { Kind: OperationKind.Return } ret)
            {
                yield return ret.ReturnedValue;
                continue;
            }

            if (operation is IReturnOperation or IThrowOperation)
                continue; // yield return / throw: nothing handed out here that matters
            foreach (var child in operation.ChildOperations)
                pending.Push(child);
        }
    }
}
