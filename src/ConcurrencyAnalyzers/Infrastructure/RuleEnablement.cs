using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Reads a rule's effective severity at compilation start, the way the compiler does, so that a rule the user turned
/// off costs nothing. Every way a user turns a rule off is read, in the compiler's order of precedence:
/// <list type="number">
/// <item><c>/nowarn</c> (<c>&lt;NoWarn&gt;</c>), <c>/warnaserror+:ID</c> and rulesets (<see cref="CompilationOptions.SpecificDiagnosticOptions"/>): when set, nothing else is read;</item>
/// <item><c>dotnet_diagnostic.ID.severity</c> in the tree's <c>.editorconfig</c>, then in a global config (the presets);</item>
/// <item>a rule off by default stays off;</item>
/// <item><c>dotnet_analyzer_diagnostic.category-&lt;Category&gt;.severity</c>, then <c>dotnet_analyzer_diagnostic.severity</c>, read per tree;</item>
/// <item><c>-nowarn</c> of every warning (<see cref="CompilationOptions.GeneralDiagnosticOption"/> = suppress).</item>
/// </list>
/// A rule is enabled when any tree ends up with a severity other than <c>none</c>.
/// </summary>
internal static class RuleEnablement
{
    public const string BulkSeverityKey = "dotnet_analyzer_diagnostic.severity";

    public static string CategorySeverityKey(string category) => "dotnet_analyzer_diagnostic.category-" + category + ".severity";

    public static bool IsEnabled(Compilation compilation, AnalyzerOptions options, DiagnosticDescriptor rule, CancellationToken cancellationToken)
    {
        var compilationOptions = compilation.Options;
        if (compilationOptions.SpecificDiagnosticOptions.TryGetValue(rule.Id, out var specific) && specific != ReportDiagnostic.Default)
            return specific != ReportDiagnostic.Suppress;

        var provider = compilationOptions.SyntaxTreeOptionsProvider;
        var hasGlobal = false;
        var global = ReportDiagnostic.Default;
        if (provider is not null)
            hasGlobal = provider.TryGetGlobalDiagnosticValue(rule.Id, cancellationToken, out global);

        var anyTree = false;
        foreach (var tree in compilation.SyntaxTrees)
        {
            anyTree = true;
            if (Effective(tree) != ReportDiagnostic.Suppress)
                return true;
        }

        return !anyTree && rule.IsEnabledByDefault && (!hasGlobal || global != ReportDiagnostic.Suppress);

        ReportDiagnostic Effective(SyntaxTree tree)
        {
            if (provider is not null && provider.TryGetDiagnosticValue(tree, rule.Id, cancellationToken, out var perTree))
                return perTree;
            if (hasGlobal)
                return global;
            if (!rule.IsEnabledByDefault)
                return ReportDiagnostic.Suppress;
            var treeOptions = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
            if ((treeOptions.TryGetValue(CategorySeverityKey(rule.Category), out var bulk) || treeOptions.TryGetValue(BulkSeverityKey, out bulk))
                && TryParse(bulk, out var bulkSeverity))
                return bulkSeverity;
            return compilationOptions.GeneralDiagnosticOption == ReportDiagnostic.Suppress && rule.DefaultSeverity != DiagnosticSeverity.Error
                ? ReportDiagnostic.Suppress
                : ReportDiagnostic.Default;
        }
    }

    /// <summary>The severities an analyzer config accepts (the compiler's own parsing: case-insensitive).</summary>
    private static bool TryParse(string value, out ReportDiagnostic severity)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "default":
                severity = ReportDiagnostic.Default;
                return true;
            case "error":
                severity = ReportDiagnostic.Error;
                return true;
            case "warning":
                severity = ReportDiagnostic.Warn;
                return true;
            case "suggestion":
                severity = ReportDiagnostic.Info;
                return true;
            case "silent" or "refactoring":
                severity = ReportDiagnostic.Hidden;
                return true;
            case "none":
                severity = ReportDiagnostic.Suppress;
                return true;
            default:
                severity = ReportDiagnostic.Default;
                return false;
        }
    }
}
