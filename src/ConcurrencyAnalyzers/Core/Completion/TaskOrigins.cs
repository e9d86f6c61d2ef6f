using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Where a task came from, when that alone says it is complete — the antecedent inside its own <c>ContinueWith</c>
/// continuation, an element of a sequence filtered to completed tasks (<c>tasks.First(t =&gt; t.IsCompleted)</c>,
/// <c>tasks.Where(t =&gt; t.IsCompletedSuccessfully).Select(t =&gt; t.Result)</c>), the task at the index
/// <c>Task.WaitAny</c> returned — and the collections it was taken from, which <c>await Task.WhenAll(…)</c> completes.
/// </summary>
internal static class TaskOrigins
{
    public static bool IsCompleteByOrigin(IOperation task, CompletedTaskAnalysis query)
    {
        switch (task)
        {
            case IParameterReferenceOperation parameter:
                return IsContinuationAntecedent(parameter, query) || IsElementOfCompletedSequence(parameter, query);
            case IInvocationOperation invocation when IsElementPick(invocation, query):
                return SequenceHoldsOnlyCompleted(invocation, query);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                return IsWaitAnyIndex(element.Indices[0], element.ArrayReference.ReferencedSymbol(), query);
            case IPropertyReferenceOperation { Arguments.Length: 1, Instance: { } instance } indexer:
                return IsWaitAnyIndex(indexer.Arguments[0].Value, instance.ReferencedSymbol(), query);
            default:
                return false;
        }
    }

    /// <summary>
    /// The collections a task was taken from: <c>tasks[i]</c>, <c>tasks.First()</c>, <c>foreach (var t in tasks)</c>,
    /// <c>tasks.Select(t =&gt; t.Result)</c>, along the receiver chain (<c>pair.Value.Result</c>, <c>entry.Task.Result</c>).
    /// </summary>
    public static List<ISymbol> CollectionRoots(IOperation task, CompletedTaskAnalysis query)
    {
        var roots = new List<ISymbol>();
        for (var current = (IOperation?)task; current is not null; current = Receiver(current))
            AddRootsOf(current, query, roots);
        return roots;
    }

    private static IOperation? Receiver(IOperation operation) =>
        operation switch
        {
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Instance?.WalkDownConversions(),
            IFieldReferenceOperation field => field.Instance?.WalkDownConversions(),
            _ => null,
        };

    private static void AddRootsOf(IOperation task, CompletedTaskAnalysis query, List<ISymbol> roots)
    {
        switch (task)
        {
            case IArrayElementReferenceOperation element:
                Add(element.ArrayReference.ReferencedSymbol());
                break;
            case IPropertyReferenceOperation { Arguments.Length: > 0 } indexer:
                Add(indexer.Instance.ReferencedSymbol());
                break;
            case IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } linq:
                Add(linq.Arguments[0].Value.ReferencedSymbol());
                break;
            case ILocalReferenceOperation local:
                foreach (var collection in query.Index.ForEachCollectionsOf(local.Local))
                    Add(collection.ReferencedSymbol());
                break;
            case IParameterReferenceOperation parameter when LambdaOf(parameter) is { } lambda:
                // tasks.Select(t => t.Result), names.Zip(tasks, (n, t) => t.Result): any sequence the call reads.
                if (DelegateSite.Of(lambda, query.Analysis.Symbols).Invocation is { TargetMethod.IsExtensionMethod: true } call)
                {
                    foreach (var argument in call.Arguments)
                        Add(argument.Value.ReferencedSymbol());
                }

                break;
        }

        void Add(ISymbol? symbol)
        {
            if (symbol is not null)
                roots.Add(symbol);
        }
    }

    /// <summary><c>t.ContinueWith(a =&gt; a.Result)</c>: the antecedent is complete inside its continuation.</summary>
    private static bool IsContinuationAntecedent(IParameterReferenceOperation parameter, CompletedTaskAnalysis query)
    {
        if (parameter.Parameter.Ordinal != 0 || LambdaOf(parameter) is not { } lambda)
            return false;
        var site = DelegateSite.Of(lambda, query.Analysis.Symbols);
        return site.Runs == DelegateRuns.Deferred && site.Invocation is { TargetMethod.Name: "ContinueWith" };
    }

    /// <summary><c>tasks.Where(t =&gt; t.IsCompleted).Select(t =&gt; t.Result)</c>: the lambda's element comes from a filtered sequence.</summary>
    private static bool IsElementOfCompletedSequence(IParameterReferenceOperation parameter, CompletedTaskAnalysis query)
    {
        if (parameter.Parameter.Ordinal != 0 || LambdaOf(parameter) is not { } lambda)
            return false;
        var site = DelegateSite.Of(lambda, query.Analysis.Symbols);
        return site.Runs == DelegateRuns.Inline
            && site.Invocation is { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 1 } call
            && KnownSymbols.Eq(call.TargetMethod.ContainingType, query.Analysis.Symbols.Collections.Enumerable)
            && call.Arguments[0] != site.Argument
            && SequenceHoldsOnlyCompleted(call.Arguments[0].Value, query);
    }

    /// <summary>
    /// A sequence (or an element picked from one) whose chain of element-preserving LINQ operators includes a filter by
    /// completion: <c>tasks.Where(t =&gt; t.IsCompleted)</c>, <c>tasks.First(t =&gt; t.IsCompletedSuccessfully)</c>.
    /// </summary>
    private static bool SequenceHoldsOnlyCompleted(IOperation sequence, CompletedTaskAnalysis query)
    {
        var enumerable = query.Analysis.Symbols.Collections.Enumerable;
        for (var current = sequence.WalkDownConversions(); current is IInvocationOperation { Arguments.Length: > 0 } call;)
        {
            if (!KnownSymbols.Eq(call.TargetMethod.ContainingType, enumerable) || !PreservesElements(call.TargetMethod.Name))
                return false;
            if (IsFilter(call.TargetMethod.Name) && call.Arguments.Length == 2 && PredicateImpliesComplete(call.Arguments[1].Value, query))
                return true;
            current = call.Arguments[0].Value.WalkDownConversions();
        }

        return false;
    }

    private static bool IsElementPick(IInvocationOperation invocation, CompletedTaskAnalysis query) =>
        invocation.TargetMethod.Name is "First" or "FirstOrDefault" or "Last" or "LastOrDefault" or "Single" or "SingleOrDefault" or "ElementAt" or "ElementAtOrDefault"
        && KnownSymbols.Eq(invocation.TargetMethod.ContainingType, query.Analysis.Symbols.Collections.Enumerable);

    private static bool IsFilter(string name) =>
        name is "Where" or "First" or "FirstOrDefault" or "Last" or "LastOrDefault" or "Single" or "SingleOrDefault" or "TakeWhile";

    private static bool PreservesElements(string name) =>
        name is "Where" or "First" or "FirstOrDefault" or "Last" or "LastOrDefault" or "Single" or "SingleOrDefault" or "ElementAt" or "ElementAtOrDefault"
            or "TakeWhile" or "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" or "Order" or "OrderDescending"
            or "Skip" or "Take" or "SkipLast" or "TakeLast" or "ToList" or "ToArray" or "AsEnumerable" or "Distinct" or "Reverse";

    private static bool PredicateImpliesComplete(IOperation argument, CompletedTaskAnalysis query)
    {
        var value = argument.WalkDownConversions();
        while (value is IDelegateCreationOperation creation)
            value = creation.Target.WalkDownConversions();
        if (value is not IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } predicate)
            return false;
        var body = predicate.Body.Operations.Length == 1 ? predicate.Body.Operations[0] : null;
        return body is IReturnOperation { ReturnedValue: { } condition }
            && CompletionGuards.ImpliesComplete(condition, TaskReference.Of(predicate.Symbol.Parameters[0]), whenTrue: true, query);
    }

    /// <summary><c>tasks[Task.WaitAny(tasks)]</c>, or <c>tasks[i]</c> with <c>i</c> only ever assigned <c>Task.WaitAny(tasks)</c>.</summary>
    private static bool IsWaitAnyIndex(IOperation index, ISymbol? collection, CompletedTaskAnalysis query)
    {
        if (collection is null)
            return false;
        index = index.WalkDownConversions();
        if (IsWaitAnyOver(index, collection, query))
            return true;
        if (index is not ILocalReferenceOperation local)
            return false;
        var writes = query.Index.WritesOf(local.Local);
        if (writes.Count == 0)
            return false;
        foreach (var write in writes)
        {
            if (write.Value is null || !IsWaitAnyOver(write.Value.WalkDownConversions(), collection, query))
                return false;
        }

        return !query.Index.IsWrittenBetween(collection, writes[0].Position, index.Syntax.SpanStart);
    }

    /// <summary><c>Task.WaitAny(tasks)</c>, or over a copy of the same collection (<c>Task.WaitAny(tasks.ToArray())</c>: same order, same indices).</summary>
    private static bool IsWaitAnyOver(IOperation operation, ISymbol collection, CompletedTaskAnalysis query)
    {
        if (operation is not IInvocationOperation { TargetMethod.Name: "WaitAny", Arguments.Length: > 0 } waitAny
            || !KnownSymbols.Eq(waitAny.TargetMethod.ContainingType, query.Tasks.Task))
            return false;
        var tasks = waitAny.Arguments[0].Value.WalkDownConversions();
        if (tasks is IInvocationOperation { TargetMethod: { Name: "ToArray" or "ToList", IsExtensionMethod: true }, Arguments.Length: 1 } copy
            && KnownSymbols.Eq(copy.TargetMethod.ContainingType, query.Analysis.Symbols.Collections.Enumerable))
            tasks = copy.Arguments[0].Value.WalkDownConversions();
        else if (tasks is IInvocationOperation { TargetMethod.Name: "ToArray", Instance: { } list, Arguments.Length: 0 })
            tasks = list.WalkDownConversions(); // List<T>.ToArray()
        return KnownSymbols.Eq(tasks.ReferencedSymbol(), collection);
    }

    /// <summary>The lambda that declares a parameter, found among the reference's ancestors.</summary>
    private static IAnonymousFunctionOperation? LambdaOf(IParameterReferenceOperation parameter)
    {
        if (parameter.Parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } symbol)
            return null;
        foreach (var ancestor in parameter.Ancestors())
        {
            if (ancestor is IAnonymousFunctionOperation function && KnownSymbols.Eq(function.Symbol, symbol))
                return function;
        }

        return null;
    }
}
