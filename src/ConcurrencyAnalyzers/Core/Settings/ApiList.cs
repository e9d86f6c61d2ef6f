using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// A user-configured list of APIs: comma-separated documentation IDs of methods (<c>M:System.IO.File.ReadAllText(System.String)</c>)
/// or of types (<c>T:Namespace.Type</c>, meaning every method of the type).
/// </summary>
internal sealed class ApiList
{
    public static readonly ApiList Empty = new(ImmutableHashSet<ISymbol>.Empty);

    private readonly ImmutableHashSet<ISymbol> _symbols;

    private ApiList(ImmutableHashSet<ISymbol> symbols) => _symbols = symbols;

    public bool IsEmpty => _symbols.IsEmpty;

    /// <summary>
    /// The entries of a list separated by <c>,</c> or <c>;</c> — except inside the parentheses, braces and brackets of a
    /// documentation ID: <c>M:N.T.M(System.String,System.Int32)</c> is one entry.
    /// </summary>
    internal static System.Collections.Generic.IEnumerable<string> Entries(string value)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            var c = i < value.Length ? value[i] : ',';
            if (c is '(' or '{' or '[')
                depth++;
            else if (c is ')' or '}' or ']')
                depth = Math.Max(0, depth - 1);
            else if (c is ',' or ';' && (depth == 0 || i == value.Length))
            {
                if (i > start)
                    yield return value.Substring(start, i - start);
                start = i + 1;
                depth = 0;
            }
        }
    }

    public static ApiList Parse(string? value, Compilation compilation)
    {
        if (string.IsNullOrWhiteSpace(value))
            return Empty;
        var builder = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var raw in Entries(value!))
        {
            var id = raw.Trim();
            if (id.Length < 3 || id[1] != ':')
                continue; // Not a documentation ID: ignored rather than guessed at.
            foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation))
                builder.Add(symbol.OriginalDefinition);
        }

        return new ApiList(builder.ToImmutable());
    }

    /// <summary>Whether the method, its unreduced form, or its containing type (or a base of it) is listed.</summary>
    public bool Contains(IMethodSymbol method)
    {
        if (_symbols.IsEmpty)
            return false;
        if (_symbols.Contains(method.OriginalDefinition) || (method.ReducedFrom is { } reduced && _symbols.Contains(reduced.OriginalDefinition)))
            return true;
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (_symbols.Contains(type.OriginalDefinition))
                return true;
        }

        return false;
    }

    public bool ContainsType(ITypeSymbol? type)
    {
        for (var t = type; t is not null && !_symbols.IsEmpty; t = t.BaseType)
        {
            if (_symbols.Contains(t.OriginalDefinition))
                return true;
        }

        return false;
    }
}
