using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>The one place descriptors are created; the help link is derived from the ID.</summary>
internal static class DescriptorFactory
{
    public const string HelpLinkBase = "https://github.com/concurrency-analyzers/ConcurrencyAnalyzers/blob/main/docs/rules/";

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    public static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Warning,
        string[]? customTags = null) =>
#pragma warning disable RS0030 // The factory is the one allowed caller of the constructor.
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description, HelpLink(id), customTags ?? System.Array.Empty<string>());
#pragma warning restore RS0030
}
