using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>A <c>using</c> statement or declaration whose resource really disposes asynchronously (see <see cref="AsyncDisposal"/>).</summary>
internal static class SynchronousDisposal
{
    public static BlockingOperation? Classify(IOperation operation, FunctionScope scope, ConcurrencyAnalysis analysis, ApiList excluded)
    {
        var (resources, keyword) = operation switch
        {
            IUsingOperation u => (u.Resources, UsingKeyword(u.Syntax)),
            IUsingDeclarationOperation d => ((IOperation)d.DeclarationGroup, UsingKeyword(d.Syntax)),
            _ => (null, default),
        };
        if (resources is null || keyword == default)
            return null;

        var index = analysis.IndexOf(scope.Body);
        foreach (var (type, initializer, local) in Resources(resources))
        {
            if (ServiceScope(initializer, analysis.Symbols) is { } createScope && !excluded.Contains(createScope.TargetMethod))
            {
                // using var scope = services.CreateScope(): disposes the scoped services synchronously (and throws for
                // one that is only IAsyncDisposable). Its sibling gives a scope that await using disposes asynchronously.
                var declaresVar = operation.Syntax is LocalDeclarationStatementSyntax { Declaration.Type.IsVar: true }
                    || operation.Syntax is UsingStatementSyntax { Declaration.Type.IsVar: true };
                return new BlockingOperation(
                    BlockingApi.SynchronousDisposal,
                    operation,
                    createScope.TargetMethod,
                    operand: operation,
                    "Synchronous disposal of 'IServiceScope'",
                    twin: null,
                    declaresVar ? new FixPlan(FixKind.AwaitUsing, "CreateAsyncScope") : null,
                    "use 'await using' with 'CreateAsyncScope' instead",
                    keyword.GetLocation());
            }

            var disposed = type;
            if (local is not null && IsClosedByOwningWrapper(operation, local, analysis.Symbols.IO))
                continue;
            if (excluded.ContainsType(type) || !AsyncDisposal.MissesAsyncDisposal(type, initializer, local, index, analysis))
            {
                // using Stream s = gzip ? new GZipStream(…) : new DeflateStream(…): typed as the base, made as either arm.
                if (ArmMissingAsyncDisposal(initializer, local, index, analysis, excluded) is not { } arm)
                    continue;
                disposed = arm;
            }

            return new BlockingOperation(
                BlockingApi.SynchronousDisposal,
                operation,
                member: null,
                operand: operation,
                "Synchronous disposal of '" + disposed!.Name + "'",
                twin: null,
                new FixPlan(FixKind.AwaitUsing),
                "use 'await using' instead",
                keyword.GetLocation());
        }

        return null;
    }

    /// <summary><c>services.CreateScope()</c> (on a provider or a scope factory), where <c>CreateAsyncScope</c> exists beside it.</summary>
    private static IInvocationOperation? ServiceScope(IOperation? initializer, KnownSymbols symbols) =>
        initializer?.WalkDownConversions() is IInvocationOperation { TargetMethod: { Name: "CreateScope" } method } call
        && KnownSymbols.Eq(method.ContainingType, symbols.Libraries.ServiceProviderServiceExtensions)
        && method.ContainingType.GetMembers("CreateAsyncScope").Length > 0
            ? call
            : null;

    /// <summary>The type of an arm of a conditional or switch initializer whose disposal misses a real <c>DisposeAsync</c>.</summary>
    private static ITypeSymbol? ArmMissingAsyncDisposal(IOperation? initializer, ILocalSymbol? local, BodyIndex index, ConcurrencyAnalysis analysis, ApiList excluded)
    {
        var arms = initializer?.WalkDownConversions() switch
        {
            IConditionalOperation { WhenFalse: { } whenFalse } conditional => new[] { conditional.WhenTrue, whenFalse },
            ISwitchExpressionOperation switchExpression => switchExpression.Arms.Select(a => a.Value).ToArray(),
            _ => null,
        };
        foreach (var arm in arms ?? System.Array.Empty<IOperation>())
        {
            var type = ResourceType(arm);
            if (type is not null && !excluded.ContainsType(type) && AsyncDisposal.MissesAsyncDisposal(type, arm, local, index, analysis))
                return type;
        }

        return null;
    }

    /// <summary>
    /// The most derived type known of a resource: the created value's (<c>using Stream s = new GZipStream(…)</c> is a
    /// <c>GZipStream</c>), or a cast's when it names a type derived from it (<c>using var r = (ClickHouseDataReader)await
    /// ExecuteReaderAsync()</c> is a <c>ClickHouseDataReader</c>, not the <c>DbDataReader</c> it was cast from).
    /// </summary>
    private static ITypeSymbol? ResourceType(IOperation? initializer)
    {
        if (initializer is null)
            return null;
        var created = initializer.WalkDownConversions().Type;
        for (var value = initializer; value is IConversionOperation conversion; value = conversion.Operand)
        {
            if (conversion.Type is { } cast && created is INamedTypeSymbol from && !SymbolEqualityComparer.Default.Equals(cast, from) && KnownSymbols.InheritsFrom(cast, from.OriginalDefinition))
                return cast;
        }

        return created;
    }

    /// <summary>
    /// <c>using (var file = File.Create(p)) using (var writer = new StreamWriter(file)) { … }</c>: a reader, writer or
    /// compression stream that owns the stream (no <c>leaveOpen: true</c>) is made over it in a <c>using</c> inside the
    /// stream's own, so the wrapper's disposal flushes and closes it first and the stream's disposal has nothing left to
    /// do. The wrapper is judged by itself. Only wrappers documented to close what they wrap count: a
    /// <c>Utf8JsonWriter</c> leaves the stream open.
    /// </summary>
    private static bool IsClosedByOwningWrapper(IOperation usingOperation, ILocalSymbol local, IOSymbols io)
    {
        IEnumerable<IOperation> scope = usingOperation switch
        {
            IUsingOperation statement => new[] { statement.Body },
            IUsingDeclarationOperation declaration when declaration.Parent is IBlockOperation block =>
                block.Operations.SkipWhile(o => o != declaration).Skip(1),
            _ => Enumerable.Empty<IOperation>(),
        };
        foreach (var inner in scope.SelectMany(o => o.DescendantsAndSelf()))
        {
            var resources = inner switch
            {
                IUsingOperation u => u.Resources,
                IUsingDeclarationOperation d => d.DeclarationGroup,
                _ => null,
            };
            if (resources is null)
                continue;
            foreach (var (_, initializer, _) in Resources(resources))
            {
                if (initializer?.WalkDownConversions() is IObjectCreationOperation { Constructor: { } constructor } creation
                    && io.OwningStreamWrappers.Contains(constructor.ContainingType.OriginalDefinition)
                    && creation.Arguments.ForParameter(0) is { } first
                    && KnownSymbols.Eq(first.Value.WalkDownConversions().ReferencedSymbol(), local)
                    && !creation.Arguments.Any(a => a.Parameter?.Name is "leaveOpen" && a.Value.ConstantValue is not { HasValue: true, Value: false }))
                    return true;
            }
        }

        return false;
    }

    private static ImmutableArray<(ITypeSymbol? Type, IOperation? Initializer, ILocalSymbol? Local)> Resources(IOperation resources)
    {
        var builder = ImmutableArray.CreateBuilder<(ITypeSymbol?, IOperation?, ILocalSymbol?)>();
        if (resources is IVariableDeclarationGroupOperation group)
        {
            foreach (var declaration in group.Declarations)
            {
                foreach (var declarator in declaration.Declarators)
                {
                    var initializer = declarator.GetVariableInitializer()?.Value;
                    builder.Add((ResourceType(initializer) ?? declarator.Symbol.Type, initializer, declarator.Symbol));
                }
            }
        }
        else
        {
            builder.Add((resources.WalkDownConversions().Type, resources, resources.ReferencedSymbol() as ILocalSymbol));
        }

        return builder.ToImmutable();
    }

    private static SyntaxToken UsingKeyword(SyntaxNode syntax) =>
        syntax switch
        {
            UsingStatementSyntax statement => statement.UsingKeyword,
            LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) => declaration.UsingKeyword,
            _ => default,
        };
}
