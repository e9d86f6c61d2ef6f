using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>Timeout arguments: a zero timeout (<c>Wait(0)</c>, <c>TimeSpan.Zero</c>) polls and does not block.</summary>
internal static class TimeoutArguments
{
    /// <summary>Whether the call passes a timeout (int milliseconds or <c>TimeSpan</c>) that is zero.</summary>
    public static bool HasZeroTimeout(IInvocationOperation invocation, KnownSymbols symbols)
    {
        foreach (var argument in invocation.Arguments)
        {
            var parameterType = argument.Parameter?.Type;
            if (parameterType is null)
                continue;
            if (parameterType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                && argument.Parameter!.Name.IndexOf("imeout", System.StringComparison.Ordinal) >= 0)
                return IsZero(argument.Value, symbols);
            if (KnownSymbols.Eq(parameterType, symbols.Tasks.TimeSpan))
                return IsZero(argument.Value, symbols);
        }

        return false;
    }

    public static bool IsZero(IOperation value, KnownSymbols symbols)
    {
        value = value.WalkDownConversions();
        if (value.ConstantValue is { HasValue: true, Value: { } constant })
            return constant is int i ? i == 0 : constant is long l && l == 0;
        return value switch
        {
            IFieldReferenceOperation { Field: { Name: "Zero" } field } => KnownSymbols.Eq(field.ContainingType, symbols.Tasks.TimeSpan),
            IInvocationOperation { TargetMethod: { } m, Arguments.Length: 1 } call
                when m.Name.StartsWith("From", System.StringComparison.Ordinal) && KnownSymbols.Eq(m.ContainingType, symbols.Tasks.TimeSpan) => call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: 0 or 0.0 or 0L },
            _ => false,
        };
    }
}
