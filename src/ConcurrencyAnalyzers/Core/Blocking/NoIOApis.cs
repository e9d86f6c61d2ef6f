using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Calls whose async twin exists but which do no I/O, so awaiting the twin gains nothing (rules.md, "No I/O, no report"):
/// in-memory streams and string readers/writers, the console, <c>DbDataReader.IsDBNull</c>/<c>GetFieldValue</c>,
/// <c>CancellationTokenSource.Cancel</c>, EF Core's <c>DbContext</c>/<c>DbSet</c> <c>Add</c>/<c>AddRange</c> and
/// <c>IDbContextFactory.CreateDbContext</c>, FluentValidation's <c>IValidator.Validate</c>, assertion and mocking
/// libraries, and <c>XmlReader</c>/<c>XmlWriter</c> (whose async methods throw unless they were created async). Every
/// exemption is by symbol: a user's own <c>LicenseAssert.Load</c> or <c>CreateDbContext</c> that reads a file is I/O.
/// </summary>
internal static class NoIOApis
{
    public static bool IsNoIO(IInvocationOperation invocation, KnownSymbols symbols, SourceFactories? factories = null)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        var io = symbols.IO;
        if (KnownSymbols.IsAnyOf(type, io.NoIOTypes))
            return true;
        if (invocation.Instance is { } instance && IsNoIOValue(instance, symbols, factories))
        {
            // memory.CopyTo(file) writes the file: an in-memory source says nothing about the destination.
            return !(method.Name == "CopyTo" && invocation.Arguments.Length > 0
                && KnownSymbols.InheritsFrom(invocation.Arguments[0].Value.WalkDownConversions().Type, io.Stream)
                && !IsNoIOValue(invocation.Arguments[0].Value, symbols, factories));
        }
        if (invocation.Instance is null || method.Name == "WriteTo")
        {
            // (message.WriteTo(measuringStream): an object writing itself into the stream it is given.)
            // JsonSerializer.Serialize(memoryStream, …) and friends: a static call whose only I/O targets are in memory.
            // (An instance call such as fileStream.CopyTo(memoryStream) still reads the file.)
            var streams = invocation.Arguments.Where(a => KnownSymbols.InheritsFrom(a.Value.WalkDownConversions().Type, io.Stream)).ToList();
            if (streams.Count > 0 && streams.All(a => IsNoIOValue(a.Value, symbols, factories)))
                return true;
        }

        if (IsInMemorySerialization(method, io))
            return true;

        var libraries = symbols.Libraries;
        if (KnownSymbols.IsAnyOf(type, libraries.SynchronousAsyncTypes))
            return true;
        switch (method.Name)
        {
            case "IsDBNull" or "GetFieldValue" when KnownSymbols.InheritsFrom(type, io.DbDataReader):
                return true;
            // writer.Complete(ex) in a catch: a PipeWriter completed with an error flushes nothing (a stream-backed one
            // writes its buffer only when completed without one).
            case "Complete" when KnownSymbols.InheritsFrom(type, io.PipeWriter) && invocation.Arguments.Length == 1 && IsAnException(invocation.Arguments[0].Value):
                return true;
            case "Add" or "AddRange" when KnownSymbols.InheritsFrom(type, libraries.DbContext) || KnownSymbols.InheritsFrom(type, libraries.DbSetOfT):
                return true;
            case "CreateDbContext" when KnownSymbols.IsOrImplements(type, libraries.DbContextFactoryOfT):
                return true;
            // FluentValidation: Validate throws when a validator has async rules, so a Validate call never waits on I/O.
            case "Validate" when IsValidator(ReceiverType(invocation), libraries):
                return true;
        }

        return type?.ContainingNamespace is { } ns && libraries.IsTestLibraryNamespace(ns);
    }

    /// <summary>
    /// <c>serializer.Deserialize&lt;T&gt;(bytes)</c> beside <c>DeserializeAsync&lt;T&gt;(bytes)</c>, <c>Serialize(value)</c>
    /// returning <c>byte[]</c>: a pluggable serializer's pair over a buffer already in memory. The async twin exists so an
    /// implementation may await something; the synchronous one converts bytes and objects on the calling thread, which
    /// is CPU work, not a wait. Only a <c>Serialize…</c>/<c>Deserialize…</c> method none of whose parameters is a stream,
    /// reader, writer or pipe end, whose input (deserializing) or output (serializing) is a byte buffer — a
    /// <c>Deserialize(string)</c> may take a path.
    /// </summary>
    private static bool IsInMemorySerialization(IMethodSymbol method, IOSymbols io)
    {
        var serializes = method.Name.StartsWith("Serialize", System.StringComparison.Ordinal);
        if (!serializes && !method.Name.StartsWith("Deserialize", System.StringComparison.Ordinal))
            return false;
        var buffer = false;
        foreach (var parameter in method.Parameters)
        {
            if (KnownSymbols.IsAnyOf(parameter.Type, io.IOCarriers) || parameter.Type.AllInterfaces.Any(i => io.IOCarriers.Contains(i)))
                return false;
            buffer |= IsByteBuffer(parameter.Type, io);
        }

        return serializes
            ? IsByteBuffer(method.ReturnType, io) || method.ReturnType.SpecialType == SpecialType.System_String || buffer
            : buffer;
    }

    private static bool IsByteBuffer(ITypeSymbol type, IOSymbols io) =>
        type switch
        {
            IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 } => true,
            INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named =>
                named.TypeArguments[0].SpecialType == SpecialType.System_Byte && io.ByteBuffers.Contains(named.OriginalDefinition),
            _ => false,
        };

    /// <summary>
    /// A value known to be an in-memory stream, a string reader/writer, <c>Console.Out</c>/<c>Error</c>, or an end of an
    /// in-memory <c>Pipe</c>; with <paramref name="factories"/>, also the result of a source method that hands out only such values.
    /// </summary>
    public static bool IsNoIOValue(IOperation value, KnownSymbols symbols, SourceFactories? factories = null, int depth = 0)
    {
        if (depth > 4)
            return false; // a chain of wrappers that long is not worth following
        value = value.WalkDownConversions();
        if (KnownSymbols.IsAnyOf(value.Type, symbols.IO.NoIOTypes))
            return true;
        switch (value)
        {
            case IPropertyReferenceOperation property when KnownSymbols.Eq(property.Property.ContainingType, symbols.IO.Console):
                return true; // Console.Out, Console.Error
            case IPropertyReferenceOperation { Property.Name: "Writer" or "Reader" } pipeEnd when KnownSymbols.Eq(pipeEnd.Property.ContainingType, symbols.IO.Pipe):
                return true; // new Pipe().Writer: an in-memory pipe, whose Complete() and Flush do no I/O
            case IObjectCreationOperation { Arguments.Length: > 0 } creation:
                // new StreamWriter(memoryStream), new GZipStream(new MemoryStream(…), …), new Utf8JsonWriter(bufferWriter):
                // a reader, writer or stream over an in-memory target does no I/O either.
                return IsNoIOValue(creation.Arguments[0].Value, symbols, factories, depth + 1);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                // n > 4096 ? new MemoryStream() : new MemoryStream(n)
                return IsNoIOValue(conditional.WhenTrue, symbols, factories, depth + 1) && IsNoIOValue(whenFalse, symbols, factories, depth + 1);
            case IInvocationOperation call when factories is not null:
                // CreateStream(n), a source factory whose every return (its overrides' too) is in memory, or one that
                // hands back a parameter given an in-memory argument (CommitStream(memory, …) => stream)
                return factories.InMemoryUnlessPassed(call.TargetMethod) is { } passed
                    && passed.All(ordinal => ArgumentFor(call, ordinal) is { } argument && IsNoIOValue(argument, symbols, factories, depth + 1));
            case IParameterReferenceOperation parameter when factories is not null && depth < 3
                && factories.CallSites.ArgumentsFor(parameter.Parameter) is { } arguments:
                // WriteAll(Stream stream, …) of an internal helper whose every caller passes a MemoryStream
                return arguments.All(argument => IsNoIOValue(argument, symbols, factories, depth + 1));
            case ILocalReferenceOperation local when value.SemanticModel is { } model:
                // var stream = new MemoryStream(); … stream typed as Stream; or Stream? s = null; … s = CreateStream(n);
                return LocalHoldsOnlyNoIOValues(local.Local, model, symbols, factories, depth);
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether every value the local is ever given (its initializer and each assignment, <c>null</c> aside) is a no-I/O
    /// value. A local written any other way (as a <c>ref</c>/<c>out</c> argument, by deconstruction, as a
    /// <c>foreach</c> or pattern variable) is not known.
    /// </summary>
    private static bool LocalHoldsOnlyNoIOValues(ILocalSymbol local, SemanticModel model, KnownSymbols symbols, SourceFactories? factories, int depth)
    {
        if (LocalWrites.Of(local, model) is not { } values)
            return false;
        var written = false;
        foreach (var given in values)
        {
            if (given is null || given.WalkDownConversions() is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation)
                continue;
            // stream = CommitStream(stream, …), a factory that hands back what it is given: no new value for the local.
            if (factories is not null && given.WalkDownConversions() is IInvocationOperation call && factories.InMemoryUnlessPassed(call.TargetMethod) is { Length: > 0 } handedBack
                && handedBack.All(ordinal => ArgumentFor(call, ordinal)?.WalkDownConversions() is ILocalReferenceOperation same && SymbolEqualityComparer.Default.Equals(same.Local, local)))
                continue;
            if (!IsNoIOValue(given, symbols, factories, depth + 1))
                return false;
            written = true;
        }

        return written;
    }

    private static IOperation? ArgumentFor(IInvocationOperation call, int ordinal) => call.Arguments.ForParameter(ordinal)?.Value;

    /// <summary>The caught exception of the enclosing <c>catch</c>, or a new exception: a value that is not null.</summary>
    private static bool IsAnException(IOperation value)
    {
        value = value.WalkDownConversions();
        if (value is IObjectCreationOperation)
            return true;
        if (value is not ILocalReferenceOperation { Local: var local })
            return false;
        for (var parent = value.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ICatchClauseOperation { ExceptionDeclarationOrExpression: IVariableDeclaratorOperation { Symbol: var caught } }
                && SymbolEqualityComparer.Default.Equals(caught, local))
                return true;
        }

        return false;
    }

    private static ITypeSymbol? ReceiverType(IInvocationOperation invocation) =>
        invocation.Instance?.Type
        ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.WalkDownConversions().Type : null);

    private static bool IsValidator(ITypeSymbol? type, LibrarySymbols libraries) =>
        KnownSymbols.IsOrImplements(type, libraries.Validator) || KnownSymbols.IsOrImplements(type, libraries.ValidatorOfT);
}
