using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>What can be awaited, and what awaiting it produces.</summary>
internal static class AwaitableTypes
{
    /// <summary>
    /// Whether a function returning <paramref name="returnType"/> is async context: <c>Task</c>, <c>ValueTask</c>,
    /// their generic forms, <c>IAsyncEnumerable&lt;T&gt;</c>, or a type with <c>[AsyncMethodBuilder]</c>.
    /// </summary>
    public static bool IsAsyncReturnType(ITypeSymbol? returnType, KnownSymbols symbols)
    {
        if (returnType is not INamedTypeSymbol named || returnType.TypeKind == TypeKind.Error)
            return false;
        if (symbols.IsTaskLike(named))
            return true;
        if (KnownSymbols.Eq(named.OriginalDefinition, symbols.Tasks.IAsyncEnumerableOfT) || KnownSymbols.Eq(named.OriginalDefinition, symbols.Tasks.IAsyncEnumeratorOfT))
            return true;
        return symbols.Tasks.AsyncMethodBuilderAttribute is { } builder
            && named.GetAttributes().Any(a => KnownSymbols.Eq(a.AttributeClass, builder));
    }

    /// <summary>
    /// The type <c>await</c> of a <paramref name="type"/> value produces, by the awaiter pattern; <see langword="false"/>
    /// when the type is not awaitable. <paramref name="result"/> is <c>void</c> for non-generic tasks.
    /// </summary>
    public static bool TryGetAwaitResult(ITypeSymbol? type, out ITypeSymbol? result)
    {
        result = null;
        if (type is null || type.TypeKind == TypeKind.Error)
            return false;
        var getAwaiter = FindParameterless(type, "GetAwaiter");
        if (getAwaiter is null)
            return false;
        var getResult = FindParameterless(getAwaiter.ReturnType, "GetResult");
        if (getResult is null)
            return false;
        result = getResult.ReturnType;
        return true;
    }

    private static IMethodSymbol? FindParameterless(ITypeSymbol type, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers(name))
            {
                if (member is IMethodSymbol { Parameters.Length: 0, IsStatic: false, TypeParameters.Length: 0 } m)
                    return m;
            }
        }

        return null;
    }
}
