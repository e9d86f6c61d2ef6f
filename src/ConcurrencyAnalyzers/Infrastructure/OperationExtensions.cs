using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>Small queries over <see cref="IOperation"/> trees used by several rules.</summary>
internal static class OperationExtensions
{
    /// <summary>
    /// The argument a call binds to the parameter at <paramref name="ordinal"/>, whatever the order it is written in;
    /// an omitted optional argument is there too (<see cref="ArgumentKind.DefaultValue"/>), so check the kind when only a
    /// written value will do.
    /// </summary>
    public static IArgumentOperation? ForParameter(this ImmutableArray<IArgumentOperation> arguments, int ordinal)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
                return argument;
        }

        return null;
    }

    /// <summary>Strips implicit and explicit conversions and parentheses.</summary>
    public static IOperation WalkDownConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    public static IEnumerable<IOperation> Ancestors(this IOperation operation)
    {
        for (var p = operation.Parent; p is not null; p = p.Parent)
            yield return p;
    }

    public static bool IsInsideNameOf(this IOperation operation)
    {
        foreach (var a in operation.Ancestors())
        {
            if (a is INameOfOperation)
                return true;
            if (a is IAnonymousFunctionOperation or ILocalFunctionOperation or IBlockOperation)
                return false;
        }

        return false;
    }

    /// <summary>The variable, parameter, field or parameterless property an expression reads, if that is all it does.</summary>
    public static ISymbol? ReferencedSymbol(this IOperation? operation)
    {
        return operation?.WalkDownConversions() switch
        {
            ILocalReferenceOperation l => l.Local,
            IParameterReferenceOperation p => p.Parameter,
            IFieldReferenceOperation f => f.Field,
            IPropertyReferenceOperation { Arguments.Length: 0 } p => p.Property,
            _ => null,
        };
    }

    /// <summary>Whether the value the operation produces is thrown away (it is a whole statement).</summary>
    public static bool IsValueDiscarded(this IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
            parent = parent.Parent;
        return parent is IExpressionStatementOperation
            || (parent is IDiscardOperation)
            || (parent is ISimpleAssignmentOperation { Target: IDiscardOperation });
    }

    /// <summary>The first parent that is not a conversion or parentheses: what uses the value.</summary>
    public static IOperation? ParentThroughConversions(this IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
            parent = parent.Parent;
        return parent;
    }

    /// <summary>Every call made on <paramref name="receiver"/> (a local, a field) in the member body <paramref name="inMember"/> is in.</summary>
    public static IEnumerable<IInvocationOperation> CallsOn(this IOperation inMember, ISymbol receiver)
    {
        var root = inMember.Ancestors().LastOrDefault() ?? inMember;
        return root.Descendants().OfType<IInvocationOperation>().Where(i => KnownSymbols.Eq(i.Instance.ReferencedSymbol(), receiver));
    }

    /// <summary>Whether <paramref name="inner"/>'s source lies within <paramref name="outer"/>'s.</summary>
    public static bool Contains(this IOperation outer, IOperation inner) =>
        outer.Syntax.SyntaxTree == inner.Syntax.SyntaxTree && outer.Syntax.Span.Contains(inner.Syntax.Span);

    /// <summary>Whether the operation is a statement after which control never reaches the next statement.</summary>
    public static bool AlwaysExits(this IOperation? operation)
    {
        switch (operation)
        {
            case IReturnOperation:
            case IThrowOperation:
            case IBranchOperation:
            case IExpressionStatementOperation { Operation: IThrowOperation }:
                return true;
            case IBlockOperation block:
                return block.Operations.Length > 0 && block.Operations[block.Operations.Length - 1].AlwaysExits();
            default:
                return false;
        }
    }

    /// <summary>Whether the value is awaited right away (<c>await x</c>, <c>await x.ConfigureAwait(false)</c>).</summary>
    public static bool IsAwaited(this IOperation operation)
    {
        var parent = operation.Parent;
        while (true)
        {
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation:
                    parent = parent.Parent;
                    break;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure when configure.Instance is not null:
                    parent = configure.Parent;
                    break;
                case IAwaitOperation:
                    return true;
                default:
                    return false;
            }
        }
    }
}
