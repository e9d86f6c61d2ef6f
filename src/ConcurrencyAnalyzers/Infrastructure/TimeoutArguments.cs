using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>Timeout arguments: a zero timeout (<c>Wait(0)</c>, <c>TimeSpan.Zero</c>) polls and does not block.</summary>
internal static class TimeoutArguments
{
    /// <summary>Whether the call passes a timeout (int milliseconds or <c>TimeSpan</c>) that is zero.</summary>
    public static bool HasZeroTimeout(IInvocationOperation invocation, KnownSymbols symbols, ZeroContext? context = null)
    {
        foreach (var argument in invocation.Arguments)
        {
            var parameterType = argument.Parameter?.Type;
            if (parameterType is null)
                continue;
            if (parameterType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                && argument.Parameter!.Name.IndexOf("imeout", System.StringComparison.Ordinal) >= 0)
                return IsZero(argument.Value, symbols, context);
            if (KnownSymbols.Eq(parameterType, symbols.Tasks.TimeSpan))
                return IsZero(argument.Value, symbols, context);
        }

        return false;
    }

    /// <summary>
    /// Whether the value is zero: a literal or <c>const</c>, <c>TimeSpan.Zero</c>/<c>TimeSpan.FromX(0)</c>, and — with a
    /// <paramref name="context"/> — a <c>static readonly</c> field initialised to zero, or a local only ever assigned zero.
    /// </summary>
    public static bool IsZero(IOperation value, KnownSymbols symbols, ZeroContext? context = null, int depth = 0)
    {
        value = value.WalkDownConversions();
        if (value.ConstantValue is { HasValue: true, Value: { } constant })
            return constant is int i ? i == 0 : constant is long l && l == 0;
        if (context is not null && depth < 3)
        {
            switch (value)
            {
                case ILocalReferenceOperation local:
                    var writes = context.Index.WritesOf(local.Local);
                    return writes.Count > 0 && writes.All(w => w.Value is not null && IsZero(w.Value, symbols, context, depth + 1));
                case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field }:
                    // A static constructor may assign the field again: then its initializer proves nothing.
                    if (field.ContainingType.StaticConstructors.Any(c => !c.IsImplicitlyDeclared))
                        return false;
                    foreach (var reference in field.DeclaringSyntaxReferences)
                    {
                        if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                            && context.Models(reference.SyntaxTree).GetOperation(initializer) is { } initial)
                            return IsZero(initial, symbols, context, depth + 1);
                    }

                    break; // a field from metadata (TimeSpan.Zero): judged below
            }
        }

        return value switch
        {
            IFieldReferenceOperation { Field: { Name: "Zero" } field } => KnownSymbols.Eq(field.ContainingType, symbols.Tasks.TimeSpan),
            IInvocationOperation { TargetMethod: { } m, Arguments.Length: 1 } call
                when m.Name.StartsWith("From", System.StringComparison.Ordinal) && KnownSymbols.Eq(m.ContainingType, symbols.Tasks.TimeSpan) => call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: 0 or 0.0 or 0L },
            _ => false,
        };
    }
}

/// <summary>What a non-literal zero is judged with: the function's writes and a semantic model for a field's initializer.</summary>
internal sealed class ZeroContext
{
    private readonly Lazy<BodyIndex> _index;

    public ZeroContext(Func<BodyIndex> index, Func<SyntaxTree, SemanticModel> models)
    {
        _index = new Lazy<BodyIndex>(index, System.Threading.LazyThreadSafetyMode.None);
        Models = models;
    }

    /// <summary>The function's writes, built only when a timeout is a local (literals never need it).</summary>
    public BodyIndex Index => _index.Value;

    public Func<SyntaxTree, SemanticModel> Models { get; }
}
