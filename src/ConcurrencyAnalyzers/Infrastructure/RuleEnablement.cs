using System.Threading;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Reads a rule's effective severity at compilation start, so that a rule the user turned off costs nothing.
/// </summary>
internal static class RuleEnablement
{
    public static bool IsEnabled(Compilation compilation, DiagnosticDescriptor rule, CancellationToken cancellationToken)
    {
        var options = compilation.Options;
        var general = options.SpecificDiagnosticOptions.TryGetValue(rule.Id, out var specific)
            ? specific
            : ReportDiagnostic.Default;
        var provider = options.SyntaxTreeOptionsProvider;
        if (provider is not null && provider.TryGetGlobalDiagnosticValue(rule.Id, cancellationToken, out var global))
            general = global;

        if (general != ReportDiagnostic.Suppress && (general != ReportDiagnostic.Default || rule.IsEnabledByDefault))
        {
            // On unless every tree turns it off.
            if (provider is null)
                return true;
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (!provider.TryGetDiagnosticValue(tree, rule.Id, cancellationToken, out var perTree)
                    || perTree != ReportDiagnostic.Suppress)
                    return true;
            }

            return false;
        }

        // Off unless some tree turns it on.
        if (provider is null)
            return false;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (provider.TryGetDiagnosticValue(tree, rule.Id, cancellationToken, out var perTree)
                && perTree != ReportDiagnostic.Suppress && perTree != ReportDiagnostic.Default)
                return true;
        }

        return false;
    }
}
