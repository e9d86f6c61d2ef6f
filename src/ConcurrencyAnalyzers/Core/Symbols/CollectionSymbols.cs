using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>LINQ to Objects, lists and arrays: the places a delegate runs inline.</summary>
internal sealed class CollectionSymbols
{
    public CollectionSymbols(KnownSymbols symbols)
    {
        Enumerable = symbols.Get("System.Linq.Enumerable");
        ListOfT = symbols.Get("System.Collections.Generic.List`1");
        Array = symbols.Get("System.Array");
    }

    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? ListOfT { get; }
    public INamedTypeSymbol? Array { get; }
}
