using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Finds the single <c>CancellationToken</c> parameter or local in scope at an operation, so a fix can forward it.
/// None, or more than one, gives <see langword="null"/>: the fix then does not guess.
/// </summary>
internal static class CancellationTokenInScope
{
    public static string? Find(IOperation operation, ISymbol containingSymbol, KnownSymbols symbols)
    {
        if (symbols.Tasks.CancellationToken is not { } tokenType)
            return null;
        string? found = null;
        var count = 0;
        var position = operation.Syntax.SpanStart;

        void Consider(ISymbol symbol, ITypeSymbol type)
        {
            if (!KnownSymbols.Eq(type, tokenType) || symbol.Name.Length == 0 || symbol.Name == "_")
                return;
            count++;
            found = symbol.Name;
        }

        foreach (var ancestor in operation.Ancestors())
        {
            switch (ancestor)
            {
                case IBlockOperation block:
                    foreach (var local in block.Locals)
                    {
                        if (DeclaredBefore(local, position))
                            Consider(local, local.Type);
                    }

                    break;
                case IAnonymousFunctionOperation lambda:
                    foreach (var p in lambda.Symbol.Parameters)
                        Consider(p, p.Type);
                    if (lambda.Symbol.IsStatic)
                        return count == 1 ? found : null;
                    break;
                case ILocalFunctionOperation localFunction:
                    foreach (var p in localFunction.Symbol.Parameters)
                        Consider(p, p.Type);
                    if (localFunction.Symbol.IsStatic)
                        return count == 1 ? found : null;
                    break;
            }
        }

        if (containingSymbol is IMethodSymbol method)
        {
            foreach (var p in method.Parameters)
                Consider(p, p.Type);
        }

        return count == 1 ? found : null;
    }

    private static bool DeclaredBefore(ILocalSymbol local, int position)
    {
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.Span.End <= position)
                return true;
        }

        return false;
    }
}
