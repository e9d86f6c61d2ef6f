using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The task a guard must be about: a variable, parameter, field or property (compared as symbols), or an element of one
/// (<c>tasks[0]</c>, <c>pending[id]</c> — the same collection at the same constant or variable index).
/// </summary>
internal readonly struct TaskReference
{
    private readonly ISymbol? _symbol;
    private readonly IOperation? _element;

    private TaskReference(ISymbol? symbol, IOperation? element)
    {
        _symbol = symbol;
        _element = element;
    }

    public static TaskReference Of(ISymbol symbol) => new(symbol, null);

    /// <summary>The reference <paramref name="task"/> makes, or <see langword="null"/> when it is neither a variable nor an element of one.</summary>
    public static TaskReference? Of(IOperation task)
    {
        task = task.WalkDownConversions();
        if (task.ReferencedSymbol() is { } symbol)
            return new TaskReference(symbol, null);
        return IsElement(task) ? new TaskReference(null, task) : null;
    }

    public bool Matches(IOperation? candidate)
    {
        if (candidate is null)
            return false;
        candidate = candidate.WalkDownConversions();
        return _symbol is not null ? KnownSymbols.Eq(candidate.ReferencedSymbol(), _symbol) : SameElement(_element!, candidate);
    }

    private static bool IsElement(IOperation operation) =>
        operation switch
        {
            IArrayElementReferenceOperation element => element.ArrayReference.ReferencedSymbol() is not null && AllSimple(element.Indices),
            IPropertyReferenceOperation { Arguments.Length: > 0, Instance: { } instance } indexer => instance.ReferencedSymbol() is not null && AllSimple(indexer.Arguments),
            _ => false,
        };

    private static bool AllSimple<T>(System.Collections.Immutable.ImmutableArray<T> indices)
        where T : IOperation
    {
        foreach (var index in indices)
        {
            var value = index is IArgumentOperation argument ? argument.Value : index;
            if (!value.WalkDownConversions().ConstantValue.HasValue && value.ReferencedSymbol() is null)
                return false;
        }

        return true;
    }

    private static bool SameElement(IOperation a, IOperation b) =>
        (a, b) switch
        {
            (IArrayElementReferenceOperation x, IArrayElementReferenceOperation y) =>
                KnownSymbols.Eq(x.ArrayReference.ReferencedSymbol(), y.ArrayReference.ReferencedSymbol()) && SameIndices(x.Indices, y.Indices),
            (IPropertyReferenceOperation x, IPropertyReferenceOperation y) =>
                KnownSymbols.Eq(x.Property.OriginalDefinition, y.Property.OriginalDefinition)
                && KnownSymbols.Eq(x.Instance?.ReferencedSymbol(), y.Instance?.ReferencedSymbol())
                && SameArguments(x.Arguments, y.Arguments),
            _ => false,
        };

    private static bool SameIndices(System.Collections.Immutable.ImmutableArray<IOperation> x, System.Collections.Immutable.ImmutableArray<IOperation> y)
    {
        if (x.Length != y.Length)
            return false;
        for (var i = 0; i < x.Length; i++)
        {
            if (!SameIndex(x[i], y[i]))
                return false;
        }

        return true;
    }

    private static bool SameArguments(System.Collections.Immutable.ImmutableArray<IArgumentOperation> x, System.Collections.Immutable.ImmutableArray<IArgumentOperation> y)
    {
        if (x.Length != y.Length)
            return false;
        for (var i = 0; i < x.Length; i++)
        {
            if (!SameIndex(x[i].Value, y[i].Value))
                return false;
        }

        return true;
    }

    private static bool SameIndex(IOperation x, IOperation y)
    {
        x = x.WalkDownConversions();
        y = y.WalkDownConversions();
        if (x.ConstantValue.HasValue || y.ConstantValue.HasValue)
            return x.ConstantValue.HasValue && y.ConstantValue.HasValue && Equals(x.ConstantValue.Value, y.ConstantValue.Value);
        return x.ReferencedSymbol() is { } symbol && KnownSymbols.Eq(y.ReferencedSymbol(), symbol);
    }
}
