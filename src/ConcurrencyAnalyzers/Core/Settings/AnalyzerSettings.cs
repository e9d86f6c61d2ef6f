using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers;

/// <summary>What offloading fixes write: the runtime library's executors, or plain BCL code.</summary>
internal enum OffloadTarget
{
    Executors,
    Bcl,
}

/// <summary>
/// The typed <c>.editorconfig</c> settings of one compilation (docs/configuration.md lists every key; a convention test
/// keeps the two in step). Read per syntax tree (a folder's <c>.editorconfig</c> can differ), each distinct raw value
/// parsed once. Keys are case-insensitive, as every analyzer config key is.
/// </summary>
internal sealed class AnalyzerSettings
{
    public const string ExcludedApisKey = "concurrency_analyzers.excluded_apis";
    public const string AdditionalBlockingApisKey = "concurrency_analyzers.additional_blocking_apis";
    public const string AdditionalCpuHeavyApisKey = "concurrency_analyzers.additional_cpu_heavy_apis";
    public const string AsyncTwinNamesKey = "concurrency_analyzers.async_twin_names";
    public const string OffloadTargetKey = "concurrency_analyzers.offload_target";
    public const string MaxDepthKey = "CONC005.max_depth";
    public const string MinConstantIterationsKey = "CONC010.min_constant_iterations";

    public const int DefaultMaxDepth = 5;
    public const int MaxMaxDepth = 20;
    public const int DefaultMinConstantIterations = 10_000;

    /// <summary>Every key the package reads.</summary>
    public static ImmutableArray<string> Keys { get; } = ImmutableArray.Create(
        ExcludedApisKey, AdditionalBlockingApisKey, AdditionalCpuHeavyApisKey, AsyncTwinNamesKey, OffloadTargetKey, MaxDepthKey, MinConstantIterationsKey);

    private readonly Compilation _compilation;
    private readonly AnalyzerConfigOptionsProvider _provider;
    private readonly bool _hasRuntime;
    private readonly ConcurrentDictionary<(string Key, string Value), ApiList> _lists = new();
    private readonly ConcurrentDictionary<SyntaxTree, TreeLists> _trees = new();
    private readonly ConcurrentDictionary<string, RenamedTwins> _twinNames = new();

    /// <summary>The API lists of one tree, resolved on first use (every candidate call asks for them).</summary>
    private sealed class TreeLists
    {
        public TreeLists(ApiList excluded, ApiList blocking, ApiList cpuHeavy, RenamedTwins twinNames)
        {
            Excluded = excluded;
            Blocking = blocking;
            CpuHeavy = cpuHeavy;
            TwinNames = twinNames;
        }

        public RenamedTwins TwinNames { get; }

        public ApiList Excluded { get; }
        public ApiList Blocking { get; }
        public ApiList CpuHeavy { get; }
    }

    public AnalyzerSettings(Compilation compilation, AnalyzerConfigOptionsProvider provider, bool hasRuntime)
    {
        _compilation = compilation;
        _provider = provider;
        _hasRuntime = hasRuntime;
    }

    public AnalyzerConfigOptionsProvider Provider => _provider;

    /// <summary>APIs the user says must never be reported.</summary>
    public ApiList ExcludedApis(SyntaxTree tree) => Lists(tree).Excluded;

    /// <summary>APIs the user says block, beyond the built-in ones.</summary>
    public ApiList AdditionalBlockingApis(SyntaxTree tree) => Lists(tree).Blocking;

    /// <summary>APIs the user says are CPU-heavy, beyond the built-in list (CONC011).</summary>
    public ApiList AdditionalCpuHeavyApis(SyntaxTree tree) => Lists(tree).CpuHeavy;

    private TreeLists Lists(SyntaxTree tree) =>
        _trees.TryGetValue(tree, out var lists)
            ? lists
            : _trees.GetOrAdd(tree, t => new TreeLists(List(t, ExcludedApisKey), List(t, AdditionalBlockingApisKey), List(t, AdditionalCpuHeavyApisKey), TwinNamesOf(t)));

    /// <summary>The async twins with another name than <c>NameAsync</c>: the built-in table and the user's additions.</summary>
    public RenamedTwins TwinNames(SyntaxTree tree) => Lists(tree).TwinNames;

    private RenamedTwins TwinNamesOf(SyntaxTree tree)
    {
        var value = Raw(tree, AsyncTwinNamesKey);
        return value is null ? RenamedTwins.BuiltIn : _twinNames.GetOrAdd(value, RenamedTwins.Parse);
    }

    /// <summary><c>executors</c> (the default when the runtime library is referenced) or <c>bcl</c>.</summary>
    public OffloadTarget OffloadTarget(SyntaxTree tree)
    {
        var value = Raw(tree, OffloadTargetKey)?.Trim();
        if (string.Equals(value, "bcl", StringComparison.OrdinalIgnoreCase))
            return ConcurrencyAnalyzers.OffloadTarget.Bcl;
        if (string.Equals(value, "executors", StringComparison.OrdinalIgnoreCase) && _hasRuntime)
            return ConcurrencyAnalyzers.OffloadTarget.Executors;
        return _hasRuntime ? ConcurrencyAnalyzers.OffloadTarget.Executors : ConcurrencyAnalyzers.OffloadTarget.Bcl;
    }

    /// <summary>How deep CONC005 follows calls (1…20, default 5).</summary>
    public int MaxDepth(SyntaxTree tree) => Integer(tree, MaxDepthKey, DefaultMaxDepth, 1, MaxMaxDepth);

    /// <summary>The constant loop bound from which CONC010 counts a loop as heavy (default 10,000).</summary>
    public int MinConstantIterations(SyntaxTree tree) => Integer(tree, MinConstantIterationsKey, DefaultMinConstantIterations, 1, int.MaxValue);

    private int Integer(SyntaxTree tree, string key, int fallback, int min, int max)
    {
        var value = Raw(tree, key);
        if (value is null || !TryParseInteger(value, out var parsed))
            return fallback;
        return parsed < min ? min : parsed > max ? max : parsed;
    }

    /// <summary>A whole number as the settings write it: invariant culture, <c>_</c> digit separators allowed.</summary>
    internal static bool TryParseInteger(string value, out int parsed) =>
        int.TryParse(value.Trim().Replace("_", string.Empty), NumberStyles.Integer, CultureInfo.InvariantCulture, out parsed);

    private ApiList List(SyntaxTree tree, string key)
    {
        var value = Raw(tree, key);
        if (value is null)
            return ApiList.Empty;
        return _lists.GetOrAdd((key, value), k => ApiList.Parse(k.Value, _compilation));
    }

    private string? Raw(SyntaxTree tree, string key)
    {
        if (_provider.GetOptions(tree).TryGetValue(key, out var value) || _provider.GlobalOptions.TryGetValue(key, out value))
            return value;
        return null;
    }
}
