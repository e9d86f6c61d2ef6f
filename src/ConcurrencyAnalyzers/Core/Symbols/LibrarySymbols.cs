using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Library types the rules special-case, by symbol: EF Core's context, sets and factory, FluentValidation's validator,
/// the assertion and mocking libraries, and the bundled runtime library's executors.
/// </summary>
internal sealed class LibrarySymbols
{
    public LibrarySymbols(KnownSymbols symbols)
    {
        DbContext = symbols.Get("Microsoft.EntityFrameworkCore.DbContext");
        DbSetOfT = symbols.Get("Microsoft.EntityFrameworkCore.DbSet`1");
        DbContextFactoryOfT = symbols.Get("Microsoft.EntityFrameworkCore.IDbContextFactory`1");
        ValidatorOfT = symbols.Get("FluentValidation.IValidator`1");
        ServiceProviderServiceExtensions = symbols.Get("Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions");
        Validator = symbols.Get("FluentValidation.IValidator");

        // Providers whose async methods are documented to run synchronously: their "twins" free no thread.
        // Microsoft.Data.Sqlite: https://learn.microsoft.com/dotnet/standard/data/sqlite/async
        SynchronousAsyncTypes = KnownSymbols.Collect(
            symbols.Get("Microsoft.Data.Sqlite.SqliteConnection"),
            symbols.Get("Microsoft.Data.Sqlite.SqliteCommand"),
            symbols.Get("Microsoft.Data.Sqlite.SqliteDataReader"),
            symbols.Get("Microsoft.Data.Sqlite.SqliteTransaction"),
            symbols.Get("Microsoft.Data.Sqlite.SqliteBlob"));

        WaitHandleExtensions = symbols.Get("ConcurrencyAnalyzers.Runtime.WaitHandleExtensions");
        ThreadExecutor = symbols.Get("ConcurrencyAnalyzers.Runtime.ThreadExecutor");
        ProcessExecutor = symbols.Get("ConcurrencyAnalyzers.Runtime.ProcessExecutor");
        AsyncExecutor = symbols.Get("ConcurrencyAnalyzers.Runtime.AsyncExecutor");
    }

    /// <summary>
    /// Namespaces of assertion and mocking libraries: their <c>That</c>/<c>ThatAsync</c>, <c>Setup</c>/<c>SetupAsync</c>
    /// pairs mirror async APIs but do no I/O. Matched as namespace symbols, not as type-name suffixes.
    /// </summary>
    public static readonly ImmutableArray<string> TestLibraryNamespaces = ImmutableArray.Create(
        "Xunit", "NUnit", "FluentAssertions", "Shouldly", "TUnit", "Microsoft.VisualStudio.TestTools", "Moq", "NSubstitute", "FakeItEasy");

    /// <summary>Types whose async methods run synchronously (Microsoft.Data.Sqlite): calling their sync methods blocks no more.</summary>
    public System.Collections.Immutable.ImmutableHashSet<INamedTypeSymbol> SynchronousAsyncTypes { get; }

    public INamedTypeSymbol? DbContext { get; }
    public INamedTypeSymbol? DbSetOfT { get; }
    public INamedTypeSymbol? DbContextFactoryOfT { get; }
    public INamedTypeSymbol? ValidatorOfT { get; }

    /// <summary>Its <c>CreateScope</c> has the <c>CreateAsyncScope</c> sibling whose scope disposes asynchronously.</summary>
    public INamedTypeSymbol? ServiceProviderServiceExtensions { get; }
    public INamedTypeSymbol? Validator { get; }

    /// <summary>The runtime library's <c>WaitOneAsync</c> host, when the project references it.</summary>
    public INamedTypeSymbol? WaitHandleExtensions { get; }
    public INamedTypeSymbol? ThreadExecutor { get; }
    public INamedTypeSymbol? ProcessExecutor { get; }
    public INamedTypeSymbol? AsyncExecutor { get; }

    /// <summary>A namespace of an assertion or mocking library (memoized: every candidate call asks).</summary>
    public bool IsTestLibraryNamespace(INamespaceSymbol ns) =>
        !ns.IsGlobalNamespace && _testNamespaces.GetOrAdd(ns, static n =>
        {
            var name = n.ToDisplayString();
            foreach (var prefix in TestLibraryNamespaces)
            {
                if (name == prefix || name.StartsWith(prefix + ".", System.StringComparison.Ordinal))
                    return true;
            }

            return false;
        });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<INamespaceSymbol, bool> _testNamespaces = new(SymbolEqualityComparer.Default);

    /// <summary>Whether the project references the runtime library (offloading fixes target its executors).</summary>
    public bool HasRuntime => ThreadExecutor is not null;
}
