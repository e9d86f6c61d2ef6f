using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Tests.Verifiers;

/// <summary>
/// An <c>.editorconfig</c> applied the way the compiler applies it: parsed by Roslyn's own <see cref="AnalyzerConfigSet"/>,
/// its <c>dotnet_diagnostic.*</c> entries in the tree options and every other key in the analyzer options.
/// </summary>
internal static class EditorConfigOptions
{
    public static AnalyzerConfigOptionsProvider Create(string? editorConfig, SyntaxTree tree, out SyntaxTreeOptionsProvider? treeOptions)
    {
        treeOptions = null;
        if (editorConfig is null)
            return new Provider(ImmutableDictionary<string, string>.Empty);
        var config = AnalyzerConfig.Parse(editorConfig, "/src/.editorconfig");
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(config));
        var result = set.GetOptionsForSourcePath(tree.FilePath);
        treeOptions = new TreeOptions(tree, result.TreeOptions);
        return new Provider(result.AnalyzerOptions);
    }

    private sealed class TreeOptions : SyntaxTreeOptionsProvider
    {
        private readonly SyntaxTree _tree;
        private readonly ImmutableDictionary<string, ReportDiagnostic> _severities;

        public TreeOptions(SyntaxTree tree, ImmutableDictionary<string, ReportDiagnostic> severities)
        {
            _tree = tree;
            _severities = severities;
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return tree == _tree && _severities.TryGetValue(diagnosticId, out severity);
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }

    private sealed class Provider : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options;

        public Provider(ImmutableDictionary<string, string> values) => _options = new Options(values);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;
    }

    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public Options(ImmutableDictionary<string, string> values) => _values = values.WithComparers(KeyComparer);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }
}
