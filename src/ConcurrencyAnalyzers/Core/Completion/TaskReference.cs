using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The task a guard or an earlier await must be about, compared along its whole receiver chain: a variable, parameter,
/// field or property (<c>t</c>, <c>_pending</c>, <c>entry.Task</c> — not <c>other.Task</c>), or an element of one
/// (<c>tasks[0]</c>, <c>pending[id]</c> — the same collection at the same constant or variable index). A lambda's
/// parameter is compared as a symbol.
/// </summary>
internal readonly struct TaskReference
{
    private readonly ISymbol? _parameter;
    private readonly IOperation? _task;

    private TaskReference(ISymbol? parameter, IOperation? task)
    {
        _parameter = parameter;
        _task = task;
    }

    public static TaskReference Of(ISymbol parameter) => new(parameter, null);

    /// <summary>The reference <paramref name="task"/> makes, or <see langword="null"/> when it is not a chain of variables and elements.</summary>
    public static TaskReference? Of(IOperation task)
    {
        task = task.WalkDownConversions();
        return IsReference(task) ? new TaskReference(null, task) : null;
    }

    public bool Matches(IOperation? candidate) =>
        candidate is not null && (_parameter is not null ? KnownSymbols.Eq(candidate.WalkDownConversions().ReferencedSymbol(), _parameter) : Same(_task, candidate));

    /// <summary>Every variable the reference reads (the collection, the receivers, the indices): a write of any of them between two points invalidates what was known.</summary>
    public IEnumerable<ISymbol> Symbols()
    {
        if (_parameter is not null)
        {
            yield return _parameter;
            yield break;
        }

        var stack = new Stack<IOperation>();
        stack.Push(_task!);
        while (stack.Count > 0)
        {
            var current = stack.Pop().WalkDownConversions();
            if (current.ReferencedSymbol() is { } symbol)
                yield return symbol;
            switch (current)
            {
                case IMemberReferenceOperation { Instance: { } instance }:
                    stack.Push(instance);
                    if (current is IPropertyReferenceOperation indexer)
                    {
                        foreach (var argument in indexer.Arguments)
                            stack.Push(argument.Value);
                    }

                    break;
                case IArrayElementReferenceOperation element:
                    stack.Push(element.ArrayReference);
                    foreach (var index in element.Indices)
                        stack.Push(index);
                    break;
            }
        }
    }

    private static bool IsReference(IOperation? operation, int depth = 0)
    {
        operation = operation?.WalkDownConversions();
        if (operation is null || depth > 8)
            return false;
        switch (operation)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation:
                return true;
            case IFieldReferenceOperation field:
                return field.Instance is null || IsReference(field.Instance, depth + 1);
            case IPropertyReferenceOperation property:
                return (property.Instance is null || IsReference(property.Instance, depth + 1)) && AllSimple(property.Arguments);
            case IArrayElementReferenceOperation element:
                return IsReference(element.ArrayReference, depth + 1) && AllSimple(element.Indices);
            default:
                return false;
        }
    }

    private static bool AllSimple<T>(ImmutableArray<T> indices)
        where T : IOperation
    {
        foreach (var index in indices)
        {
            var value = (index is IArgumentOperation argument ? argument.Value : index).WalkDownConversions();
            if (!value.ConstantValue.HasValue && value is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation))
                return false;
        }

        return true;
    }

    private static bool Same(IOperation? a, IOperation? b)
    {
        a = a?.WalkDownConversions();
        b = b?.WalkDownConversions();
        if (a is null || b is null)
            return a is null && b is null;
        if (a.ConstantValue.HasValue || b.ConstantValue.HasValue)
            return a.ConstantValue.HasValue && b.ConstantValue.HasValue && Equals(a.ConstantValue.Value, b.ConstantValue.Value);
        switch (a, b)
        {
            case (IInstanceReferenceOperation, IInstanceReferenceOperation):
                return true;
            case (ILocalReferenceOperation x, ILocalReferenceOperation y):
                return KnownSymbols.Eq(x.Local, y.Local);
            case (IParameterReferenceOperation x, IParameterReferenceOperation y):
                return KnownSymbols.Eq(x.Parameter, y.Parameter);
            case (IFieldReferenceOperation x, IFieldReferenceOperation y):
                return KnownSymbols.Eq(x.Field.OriginalDefinition, y.Field.OriginalDefinition) && Same(x.Instance, y.Instance);
            case (IPropertyReferenceOperation x, IPropertyReferenceOperation y):
                if (!KnownSymbols.Eq(x.Property.OriginalDefinition, y.Property.OriginalDefinition) || !Same(x.Instance, y.Instance) || x.Arguments.Length != y.Arguments.Length)
                    return false;
                for (var i = 0; i < x.Arguments.Length; i++)
                {
                    if (!Same(x.Arguments[i].Value, y.Arguments[i].Value))
                        return false;
                }

                return true;
            case (IArrayElementReferenceOperation x, IArrayElementReferenceOperation y):
                if (!Same(x.ArrayReference, y.ArrayReference) || x.Indices.Length != y.Indices.Length)
                    return false;
                for (var i = 0; i < x.Indices.Length; i++)
                {
                    if (!Same(x.Indices[i], y.Indices[i]))
                        return false;
                }

                return true;
            default:
                return false;
        }
    }
}
