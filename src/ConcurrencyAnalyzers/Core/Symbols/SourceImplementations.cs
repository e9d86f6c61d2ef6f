using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The compilation's own implementations of an interface or abstract method: for each type declared in its source,
/// the member that implements (or overrides) it. The types are listed once per compilation, on first need; each
/// method's answer is memoized. Used to judge a member called through an abstraction by what its implementations do.
/// </summary>
internal sealed class SourceImplementations
{
    private readonly System.Lazy<IReadOnlyList<INamedTypeSymbol>> _types;
    private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyList<IMethodSymbol>> _byMethod = new(SymbolEqualityComparer.Default);

    public SourceImplementations(Compilation compilation) =>
        _types = new System.Lazy<IReadOnlyList<INamedTypeSymbol>>(() => SourceTypes(compilation));

    /// <summary>The distinct non-abstract implementations of <paramref name="method"/> among the compilation's types.</summary>
    public IReadOnlyList<IMethodSymbol> Of(IMethodSymbol method) => _byMethod.GetOrAdd(method.OriginalDefinition, Find);

    private IReadOnlyList<IMethodSymbol> Find(IMethodSymbol method)
    {
        if (method.ContainingType is not { } declaring)
            return System.Array.Empty<IMethodSymbol>();
        var found = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in _types.Value)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
                continue;
            IMethodSymbol? implementation = null;
            if (declaring.TypeKind == TypeKind.Interface)
            {
                if (type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, declaring)))
                    implementation = type.FindImplementationForInterfaceMember(FromConstructed(type, method)) as IMethodSymbol;
            }
            else if (KnownSymbols.InheritsFrom(type.BaseType, declaring))
            {
                implementation = MostDerivedOverride(type, method);
            }

            if (implementation is { IsAbstract: false })
                found.Add(implementation.OriginalDefinition);
        }

        return found.ToList();
    }

    /// <summary>The interface member as the type sees it (IRepo&lt;int&gt;.GetAsync for IRepo&lt;T&gt;.GetAsync).</summary>
    private static ISymbol FromConstructed(INamedTypeSymbol type, IMethodSymbol method)
    {
        var constructed = type.AllInterfaces.First(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, method.ContainingType));
        return constructed.GetMembers(method.Name).OfType<IMethodSymbol>()
            .FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method)) ?? (ISymbol)method;
    }

    private static IMethodSymbol? MostDerivedOverride(INamedTypeSymbol type, IMethodSymbol method)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var candidate in t.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                for (var o = candidate; o is not null; o = o.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(o.OriginalDefinition, method))
                        return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Every type the compilation declares, nested ones included.</summary>
    public static IReadOnlyList<INamedTypeSymbol> SourceTypes(Compilation compilation)
    {
        var types = new List<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type)
                {
                    types.Add(type);
                    pending.Push(type);
                }
            }
        }

        return types;
    }
}
