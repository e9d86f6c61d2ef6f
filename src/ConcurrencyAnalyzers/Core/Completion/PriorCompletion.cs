using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// An earlier statement on the path to the use that completed the task — <c>await t</c>, <c>await Task.WhenAll(…)</c>
/// over it or its collection (arrays, <c>params</c> spans, collection expressions and spreads), or the blocking
/// <c>t.Wait()</c>/<c>Task.WaitAll(…)</c> (reported on their own; once fixed they become awaits) — not followed by a write
/// of the variable before the use.
/// </summary>
internal static class PriorCompletion
{
    public static bool IsCompletedBefore(ISymbol? symbol, List<ISymbol> roots, IOperation use, CompletedTaskAnalysis query)
    {
        var useStart = use.Syntax.SpanStart;
        foreach (var point in query.Index.Completions)
        {
            if (point.Start >= useStart)
                break; // source order: every later point is after the use too.
            if (!IsOnPathTo(point, use, query.Scope))
                continue;
            var matched = Match(point.Completed, symbol, roots, query);
            if (matched is not null && !query.Index.IsWrittenBetween(matched, point.Operation.Syntax.Span.End, useStart))
                return true;
        }

        return false;
    }

    private static ISymbol? Match(IOperation completed, ISymbol? symbol, List<ISymbol> roots, CompletedTaskAnalysis query)
    {
        if (completed is IInvocationOperation { TargetMethod.Name: "Wait" } wait)
            return symbol is not null && KnownSymbols.Eq(wait.Instance.ReferencedSymbol(), symbol) ? symbol : null;
        if (symbol is not null && KnownSymbols.Eq(completed.ReferencedSymbol(), symbol))
            return symbol;
        return MatchAll(completed, symbol, roots, query.Tasks);
    }

    /// <summary><c>Task.WhenAll(…)</c>/<c>Task.WaitAll(…)</c> over the task, over a collection it came from, or over a spread of one.</summary>
    private static ISymbol? MatchAll(IOperation operand, ISymbol? symbol, List<ISymbol> roots, TaskSymbols tasks)
    {
        if (operand is not IInvocationOperation { TargetMethod.Name: "WhenAll" or "WaitAll" } all || !KnownSymbols.Eq(all.TargetMethod.ContainingType, tasks.Task))
            return null;
        foreach (var argument in all.Arguments)
        {
            foreach (var item in Elements(argument.Value))
            {
                foreach (var referenced in MemberChain(item))
                {
                    if (KnownSymbols.Eq(referenced, symbol) || roots.Contains(referenced, SymbolEqualityComparer.Default))
                        return referenced;
                }
            }
        }

        return null;
    }

    /// <summary>The tasks an argument passes, in every shape the compilers bind: an array, a <c>params</c> array or span, a collection expression with spreads.</summary>
    private static IEnumerable<IOperation> Elements(IOperation value)
    {
        value = value.WalkDownConversions();
        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.ElementValues)
                    yield return element.WalkDownConversions();
                break;
            case ICollectionExpressionOperation collection:
                foreach (var element in collection.Elements)
                    yield return element is ISpreadOperation spread ? spread.Operand.WalkDownConversions() : element.WalkDownConversions();
                break;
            default:
                yield return value;
                break;
        }
    }

    /// <summary>The variables an expression reads along its receiver chain: <c>dict.Values</c> → Values, dict; <c>tasks.ToArray()</c> → tasks.</summary>
    private static IEnumerable<ISymbol> MemberChain(IOperation operation)
    {
        for (var current = (IOperation?)operation.WalkDownConversions(); current is not null;)
        {
            if (current.ReferencedSymbol() is { } referenced)
                yield return referenced;
            current = current switch
            {
                IPropertyReferenceOperation p => p.Instance?.WalkDownConversions(),
                IFieldReferenceOperation f => f.Instance?.WalkDownConversions(),
                IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } e => e.Arguments[0].Value.WalkDownConversions(),
                IInvocationOperation i => i.Instance?.WalkDownConversions(),
                _ => null,
            };
        }
    }

    /// <summary>The completing statement is in the same function as the use, or in an inline lambda around it.</summary>
    private static bool IsOnPathTo(CompletionPoint point, IOperation use, FunctionScope scope)
    {
        if (point.Function is null)
            return scope.FunctionOperation is null;
        return point.Function == scope.FunctionOperation?.Syntax || point.Function.Span.Contains(use.Syntax.Span);
    }
}
