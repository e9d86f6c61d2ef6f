using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The well-known symbols of one compilation, split by concern and resolved lazily: a rule that never asks about
/// streams never resolves them. A missing type is <see langword="null"/>: code that does not reference it cannot use it.
/// </summary>
internal sealed class KnownSymbols
{
    private readonly Lazy<TaskSymbols> _tasks;
    private readonly Lazy<ThreadingSymbols> _threading;
    private readonly Lazy<IOSymbols> _io;
    private readonly Lazy<CollectionSymbols> _collections;
    private readonly Lazy<LibrarySymbols> _libraries;

    public KnownSymbols(Compilation compilation)
    {
        Compilation = compilation;
        _tasks = new Lazy<TaskSymbols>(() => new TaskSymbols(this), LazyThreadSafetyMode.ExecutionAndPublication);
        _threading = new Lazy<ThreadingSymbols>(() => new ThreadingSymbols(this), LazyThreadSafetyMode.ExecutionAndPublication);
        _io = new Lazy<IOSymbols>(() => new IOSymbols(this), LazyThreadSafetyMode.ExecutionAndPublication);
        _collections = new Lazy<CollectionSymbols>(() => new CollectionSymbols(this), LazyThreadSafetyMode.ExecutionAndPublication);
        _libraries = new Lazy<LibrarySymbols>(() => new LibrarySymbols(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Compilation Compilation { get; }

    /// <summary>Tasks, awaiters, tokens and the async builder attribute.</summary>
    public TaskSymbols Tasks => _tasks.Value;

    /// <summary>Threads, sleeps and the blocking synchronization primitives.</summary>
    public ThreadingSymbols Threading => _threading.Value;

    /// <summary>Streams, files, writers, readers and the types that do no I/O.</summary>
    public IOSymbols IO => _io.Value;

    /// <summary>LINQ, lists and arrays (where delegates run inline).</summary>
    public CollectionSymbols Collections => _collections.Value;

    /// <summary>Third-party and runtime-library types the rules special-case (EF Core, FluentValidation, the executors).</summary>
    public LibrarySymbols Libraries => _libraries.Value;

    public INamedTypeSymbol? Get(string metadataName)
    {
#pragma warning disable RS0030 // KnownSymbols is the one place types are looked up by metadata name.
        return Compilation.GetTypeByMetadataName(metadataName);
#pragma warning restore RS0030
    }

    /// <summary>Whether <paramref name="type"/> is <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c>, <c>ValueTask&lt;T&gt;</c> or derives from <c>Task</c>.</summary>
    public bool IsTaskLike(ITypeSymbol? type) => Tasks.IsTaskLike(type);

    public static bool Eq(ISymbol? a, ISymbol? b) => a is not null && SymbolEqualityComparer.Default.Equals(a, b);

    public static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
            return false;
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType))
                return true;
        }

        return false;
    }

    /// <summary>Whether the type is, derives from or implements <paramref name="type"/> (compared by original definition).</summary>
    public static bool IsOrImplements(ITypeSymbol? candidate, INamedTypeSymbol? type)
    {
        if (candidate is null || type is null)
            return false;
        if (InheritsFrom(candidate, type))
            return true;
        foreach (var i in candidate.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, type))
                return true;
        }

        return false;
    }

    public static bool IsAnyOf(ITypeSymbol? type, ImmutableHashSet<INamedTypeSymbol> set)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t is INamedTypeSymbol n && set.Contains(n.OriginalDefinition))
                return true;
        }

        return false;
    }

    public static ImmutableHashSet<INamedTypeSymbol> Collect(params INamedTypeSymbol?[] types)
    {
        var builder = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var t in types)
        {
            if (t is not null)
                builder.Add(t);
        }

        return builder.ToImmutable();
    }
}
