using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>The checks every blocking rule makes before it reports an operation.</summary>
internal static class BlockingSite
{
    /// <summary>
    /// The async context of a blocking operation that should be reported: in async context, not excluded by the user,
    /// not in <c>nameof</c>, and not the synchronous branch of a shared sync/async code path.
    /// </summary>
    public static AsyncContext? Find(IOperation operation, ISymbol containingSymbol, IMethodSymbol? api, KnownSymbols symbols, AnalyzerSettings settings)
    {
        if (api is not null && settings.ExcludedApis(operation.Syntax.SyntaxTree).Contains(api))
            return null;
        var context = AsyncContext.Find(operation, containingSymbol, symbols);
        if (context is null || operation.IsInsideNameOf() || SharedCodePath.IsSynchronousBranch(operation, context))
            return null;
        return context;
    }
}
