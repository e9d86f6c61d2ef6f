using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// An earlier statement on the path to the use that completed the task — <c>await t</c>, <c>await Task.WhenAll(…)</c>
/// over it or its collection (arrays, <c>params</c> spans, collection expressions and spreads), or the blocking
/// <c>t.Wait()</c>/<c>Task.WaitAll(…)</c> (reported on their own; once fixed they become awaits) — not followed by a write,
/// before the use, of any variable the task is read through.
/// </summary>
internal static class PriorCompletion
{
    public static bool IsCompletedBefore(TaskReference? reference, List<ISymbol> roots, IOperation use, CompletedTaskAnalysis query)
    {
        var useStart = use.Syntax.SpanStart;
        foreach (var point in query.Index.Completions)
        {
            if (point.Start >= useStart)
                break; // source order: every later point is after the use too.
            if (!IsOnPathTo(point, use, query.Scope))
                continue;
            var from = point.Operation.Syntax.Span.End;
            if (reference is { } task && CompletesTheTask(point.Completed, task, query.Tasks))
            {
                if (!task.Symbols().Any(s => query.Index.IsWrittenBetween(s, from, useStart)))
                    return true;
                continue;
            }

            if (MatchRoot(point.Completed, roots, query.Tasks) is { } root && !query.Index.IsWrittenBetween(root, from, useStart))
                return true;
        }

        return false;
    }

    /// <summary><c>await t</c>, <c>t.Wait()</c>, or <c>Task.WhenAll(…)</c>/<c>Task.WaitAll(…)</c> with the task among its arguments.</summary>
    private static bool CompletesTheTask(IOperation completed, TaskReference task, TaskSymbols tasks)
    {
        if (completed is IInvocationOperation { TargetMethod.Name: "Wait" } wait)
            return task.Matches(wait.Instance);
        if (task.Matches(completed))
            return true;
        return AllArguments(completed, tasks).Any(task.Matches);
    }

    /// <summary>A collection the task was taken from, completed by <c>Task.WhenAll(…)</c> over it (or over a view of it).</summary>
    private static ISymbol? MatchRoot(IOperation completed, List<ISymbol> roots, TaskSymbols tasks)
    {
        if (roots.Count == 0)
            return null;
        foreach (var item in AllArguments(completed, tasks))
        {
            foreach (var referenced in MemberChain(item))
            {
                if (roots.Contains(referenced, SymbolEqualityComparer.Default))
                    return referenced;
            }
        }

        return null;
    }

    /// <summary>The tasks <c>Task.WhenAll</c>/<c>WaitAll</c> is given, in every shape the compilers bind: arrays, <c>params</c> arrays or spans, collection expressions with spreads.</summary>
    private static IEnumerable<IOperation> AllArguments(IOperation completed, TaskSymbols tasks)
    {
        if (completed is not IInvocationOperation { TargetMethod.Name: "WhenAll" or "WaitAll" } all || !KnownSymbols.Eq(all.TargetMethod.ContainingType, tasks.Task))
            yield break;
        foreach (var argument in all.Arguments)
        {
            var value = argument.Value.WalkDownConversions();
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
