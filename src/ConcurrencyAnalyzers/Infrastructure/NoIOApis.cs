using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Calls whose async twin exists but which do no I/O, so awaiting the twin gains nothing (rules.md, "No I/O, no report"):
/// in-memory streams and string readers/writers, the console, <c>DbDataReader.IsDBNull</c>/<c>GetFieldValue</c>,
/// <c>CancellationTokenSource.Cancel</c>, EF Core's <c>Add</c>/<c>AddRange</c>/<c>CreateDbContext</c>, FluentValidation's
/// <c>Validate</c>, assertion and mocking libraries, and <c>XmlReader</c>/<c>XmlWriter</c> (whose async methods throw unless
/// they were created async).
/// </summary>
internal static class NoIOApis
{
    // Test code: assertions and mock setups mirror async APIs but do no I/O.
    private static readonly string[] AssertionNamespaces =
    {
        "Xunit", "NUnit", "FluentAssertions", "Shouldly", "TUnit", "Microsoft.VisualStudio.TestTools", "Moq", "NSubstitute", "FakeItEasy",
    };

    public static bool IsNoIO(IInvocationOperation invocation, KnownSymbols symbols)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (symbols.IsAnyOf(type, symbols.NoIOTypes))
            return true;
        if (invocation.Instance is { } instance && IsNoIOValue(instance, symbols))
            return true;
        if (invocation.Instance is null)
        {
            // JsonSerializer.Serialize(memoryStream, …) and friends: a static call whose only I/O targets are in memory.
            // (An instance call such as fileStream.CopyTo(memoryStream) still reads the file.)
            var streams = invocation.Arguments.Where(a => KnownSymbols.InheritsFrom(a.Value.WalkDownConversions().Type, symbols.Stream)).ToList();
            if (streams.Count > 0 && streams.All(a => IsNoIOValue(a.Value, symbols)))
                return true;
        }

        switch (method.Name)
        {
            case "IsDBNull" or "GetFieldValue" when KnownSymbols.InheritsFrom(type, symbols.DbDataReader):
                return true;
            case "Add" or "AddRange" when IsInNamespace(type, "Microsoft.EntityFrameworkCore"):
            case "CreateDbContext":
                return true;
            // FluentValidation: Validate throws when a validator has async rules, so a Validate call never waits on I/O.
            case "Validate" when IsInNamespace(type, "FluentValidation"):
                return true;
        }

        return IsAssertion(type);
    }

    /// <summary>A value known to be an in-memory stream, a string reader/writer or <c>Console.Out</c>/<c>Error</c>.</summary>
    public static bool IsNoIOValue(IOperation value, KnownSymbols symbols, int depth = 0)
    {
        if (depth > 4)
            return false; // a chain of wrappers that long is not worth following
        value = value.WalkDownConversions();
        if (symbols.IsAnyOf(value.Type, symbols.NoIOTypes))
            return true;
        switch (value)
        {
            case IPropertyReferenceOperation property when KnownSymbols.Eq(property.Property.ContainingType, symbols.Console):
                return true; // Console.Out, Console.Error
            case IObjectCreationOperation { Arguments.Length: > 0 } creation:
                // new StreamWriter(memoryStream), new GZipStream(new MemoryStream(…), …), new Utf8JsonWriter(bufferWriter):
                // a reader, writer or stream over an in-memory target does no I/O either.
                return IsNoIOValue(creation.Arguments[0].Value, symbols, depth + 1);
            case ILocalReferenceOperation local when value.SemanticModel is { } model:
                // var stream = new MemoryStream(); … stream typed as Stream; var writer = new StreamWriter(stream);
                foreach (var reference in local.Local.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                        && model.GetOperation(initializer) is { } initialValue
                        && IsNoIOValue(initialValue, symbols, depth + 1))
                        return true;
                }

                return false;
            default:
                return false;
        }
    }

    private static bool IsAssertion(INamedTypeSymbol? type)
    {
        if (type is null)
            return false;
        if (type.Name.EndsWith("Assert", StringComparison.Ordinal) || type.Name.EndsWith("Assertions", StringComparison.Ordinal))
            return true;
        return AssertionNamespaces.Any(ns => IsInNamespace(type, ns));
    }

    private static bool IsInNamespace(INamedTypeSymbol? type, string prefix)
    {
        var ns = type?.ContainingNamespace?.ToDisplayString();
        return ns is not null && (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal));
    }
}
