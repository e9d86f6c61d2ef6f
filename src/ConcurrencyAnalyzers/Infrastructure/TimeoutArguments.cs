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
    /// <paramref name="context"/> — a <c>readonly</c> field initialised to zero (static: without a static constructor; of
    /// a class: no instance constructor names it), or a local only ever assigned zero.
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
                case IFieldReferenceOperation { Field: { IsReadOnly: true } field } when field.IsStatic || field.ContainingType.TypeKind == TypeKind.Class:
                    // A constructor may assign the field again: then its initializer proves nothing. A static one is
                    // not looked into; an instance constructor that never names the field leaves it as initialised.
                    if (field.IsStatic
                        ? field.ContainingType.StaticConstructors.Any(c => !c.IsImplicitlyDeclared)
                        : field.ContainingType.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared && Names(c, field.Name)))
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

    /// <summary>Whether a constructor's declaration (its body, its initializer) mentions <paramref name="name"/> at all.</summary>
    private static bool Names(IMethodSymbol constructor, string name) =>
        constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantTokens().Any(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken) && t.ValueText == name));
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
