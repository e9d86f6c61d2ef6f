using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// A condition on one parameter under which a method's blocking code runs, in a form a call site's constant argument can
/// rule out: <c>if (type == typeof(Stream)) { … File.WriteAllBytes(…) … }</c> (a <see cref="System.Type"/> parameter
/// compared with <c>typeof</c>) or <c>if (toDisk) File.WriteAllText(…)</c> (a <see langword="bool"/> flag, also negated,
/// also one conjunct of an <c>&amp;&amp;</c>). Generated API clients dispatch on the requested type this way, and every
/// call names a model type: none of them writes a file.
/// </summary>
internal sealed class ArgumentGuard
{
    private readonly ITypeSymbol? _type;
    private readonly bool _value;

    private ArgumentGuard(int ordinal, ITypeSymbol? type, bool value)
    {
        Ordinal = ordinal;
        _type = type;
        _value = value;
    }

    /// <summary>The guarded parameter's position.</summary>
    public int Ordinal { get; }

    /// <summary>
    /// The guard of the innermost condition around <paramref name="operation"/> (up to <paramref name="body"/>) that tests a
    /// parameter of <paramref name="method"/> in a known form; <see langword="null"/> when it runs whatever the arguments.
    /// A parameter the body assigns (<paramref name="index"/> is the body's) is not a guard: its value at the test is not
    /// the argument.
    /// </summary>
    public static ArgumentGuard? Of(IOperation operation, IOperation body, BodyIndex index, IMethodSymbol method)
    {
        var child = operation;
        for (var ancestor = operation.Parent; ancestor is not null; child = ancestor, ancestor = ancestor.Parent)
        {
            if (ancestor is IConditionalOperation conditional && (child == conditional.WhenTrue || child == conditional.WhenFalse)
                && Test(conditional.Condition, holds: child == conditional.WhenTrue, method) is { } guard
                && !IsAssigned(method.Parameters[guard.Ordinal], index))
                return guard;
            if (ancestor == body)
                break;
        }

        return null;
    }

    /// <summary>The value a call passes for the parameter at <paramref name="ordinal"/> (its default when left out), if it has arguments.</summary>
    public static IOperation? ArgumentOf(IOperation site, int ordinal)
    {
        var arguments = site switch
        {
            IInvocationOperation call => call.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => default,
        };
        return arguments.IsDefault ? null : arguments.ForParameter(ordinal)?.Value;
    }

    /// <summary>Whether the call <paramref name="site"/> can never meet the guard, by what it passes for the parameter.</summary>
    public bool IsRuledOutAt(IOperation site) => IsRuledOutBy(ArgumentOf(site, Ordinal));

    /// <summary>Whether a call passing <paramref name="argument"/> can never meet the guard.</summary>
    public bool IsRuledOutBy(IOperation? argument)
    {
        if (argument is null)
            return false;
        if (_type is null)
            return argument.ConstantValue is { HasValue: true, Value: bool flag } && flag != _value;
        return argument.WalkDownConversions() is ITypeOfOperation { TypeOperand: var passed } && IsClosed(passed) && IsClosed(_type)
            && SymbolEqualityComparer.Default.Equals(passed, _type) != _value;
    }

    /// <summary>
    /// The same guard on the caller's parameter when the call passes that parameter straight through
    /// (<c>object Read(Type t) =&gt; Deserialize(response, t)</c>); <see langword="null"/> otherwise.
    /// </summary>
    public ArgumentGuard? PassedOn(IOperation? argument, IMethodSymbol caller, BodyIndex callerIndex) =>
        argument?.WalkDownConversions() is IParameterReferenceOperation { Parameter: var parameter }
        && IsOwn(parameter, caller) && !IsAssigned(parameter, callerIndex)
            ? new ArgumentGuard(parameter.Ordinal, _type, _value)
            : null;

    /// <summary>A test that holds (or, in an <c>else</c>, fails) exactly when the guard does, or is one conjunct of such a test.</summary>
    private static ArgumentGuard? Test(IOperation condition, bool holds, IMethodSymbol method)
    {
        condition = condition.WalkDownConversions();
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var negated }:
                return Test(negated, !holds, method);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when holds:
                return Test(both.LeftOperand, holds, method) ?? Test(both.RightOperand, holds, method);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when !holds:
                return Test(either.LeftOperand, holds, method) ?? Test(either.RightOperand, holds, method);
            case IParameterReferenceOperation { Parameter: { Type.SpecialType: SpecialType.System_Boolean } flag } when IsOwn(flag, method):
                return new ArgumentGuard(flag.Ordinal, null, holds);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var (parameter, type) = (Parameter(comparison.LeftOperand), TypeOf(comparison.RightOperand)) is ({ } p, { } t)
                    ? (p, t)
                    : (Parameter(comparison.RightOperand), TypeOf(comparison.LeftOperand));
                if (parameter is null || type is null || !IsOwn(parameter, method))
                    return null;
                return new ArgumentGuard(parameter.Ordinal, type, (comparison.OperatorKind == BinaryOperatorKind.Equals) == holds);
            default:
                return null;
        }

        static IParameterSymbol? Parameter(IOperation operand) => (operand.WalkDownConversions() as IParameterReferenceOperation)?.Parameter;

        static ITypeSymbol? TypeOf(IOperation operand) => (operand.WalkDownConversions() as ITypeOfOperation)?.TypeOperand;
    }

    private static bool IsOwn(IParameterSymbol parameter, IMethodSymbol method) =>
        parameter.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, method.OriginalDefinition);

    /// <summary>A type with no type parameter in it: <c>typeof(T)</c> may be any type, so it rules nothing out.</summary>
    private static bool IsClosed(ITypeSymbol type) =>
        type switch
        {
            ITypeParameterSymbol => false,
            IArrayTypeSymbol array => IsClosed(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.All(IsClosed),
            _ => type.TypeKind != TypeKind.Error,
        };

    /// <summary>Any write of the parameter: an assignment, compound or not, a deconstruction, a <c>ref</c>/<c>out</c> argument.</summary>
    private static bool IsAssigned(IParameterSymbol parameter, BodyIndex index) => index.WritesOf(parameter).Count > 0;
}
