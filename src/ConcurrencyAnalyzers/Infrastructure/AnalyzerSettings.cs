using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The <c>.editorconfig</c> settings of one compilation (keys in lower snake case, see docs/configuration.md), read
/// per syntax tree and parsed once per distinct value.
/// </summary>
internal sealed class AnalyzerSettings
{
    public const string ExcludedApisKey = "concurrency_analyzers.excluded_apis";
    public const string AdditionalBlockingApisKey = "concurrency_analyzers.additional_blocking_apis";

    private readonly Compilation _compilation;
    private readonly AnalyzerConfigOptionsProvider _provider;
    private readonly ConcurrentDictionary<string, ApiList> _parsed = new();

    public AnalyzerSettings(Compilation compilation, AnalyzerOptions options)
    {
        _compilation = compilation;
        _provider = options.AnalyzerConfigOptionsProvider;
    }

    /// <summary>APIs the user says must never be reported.</summary>
    public ApiList ExcludedApis(SyntaxTree tree) => List(tree, ExcludedApisKey);

    /// <summary>APIs the user says block, beyond the built-in ones.</summary>
    public ApiList AdditionalBlockingApis(SyntaxTree tree) => List(tree, AdditionalBlockingApisKey);

    private ApiList List(SyntaxTree tree, string key)
    {
        var options = _provider.GetOptions(tree);
        if (!options.TryGetValue(key, out var value) && !_provider.GlobalOptions.TryGetValue(key, out value))
            return ApiList.Empty;
        return _parsed.GetOrAdd(key + "=" + value, _ => ApiList.Parse(value, _compilation));
    }
}
