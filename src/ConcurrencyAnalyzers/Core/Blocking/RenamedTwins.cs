using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Async twins whose name is not the synchronous name + <c>Async</c>, by containing type (or a base of it) and method
/// name: a small table of BCL APIs, extended by <c>concurrency_analyzers.async_twin_names</c> entries
/// (<c>Namespace.Type.Method=TwinName</c>, comma-separated; a user entry wins over a built-in one). The twin must still
/// bind where the call is, like any other.
/// </summary>
internal sealed class RenamedTwins
{
    private static readonly Dictionary<(string Type, string Method), string> BuiltInTable = new()
    {
        [("System.Net.NetworkInformation.Ping", "Send")] = "SendPingAsync",
        [("System.Net.Mail.SmtpClient", "Send")] = "SendMailAsync",
        [("System.Net.WebClient", "DownloadString")] = "DownloadStringTaskAsync",
        [("System.Net.WebClient", "DownloadData")] = "DownloadDataTaskAsync",
        [("System.Net.WebClient", "DownloadFile")] = "DownloadFileTaskAsync",
        [("System.Net.WebClient", "UploadString")] = "UploadStringTaskAsync",
        [("System.Net.WebClient", "UploadData")] = "UploadDataTaskAsync",
        [("System.Net.WebClient", "UploadFile")] = "UploadFileTaskAsync",
        [("System.Net.WebClient", "OpenRead")] = "OpenReadTaskAsync",
        [("System.Net.WebClient", "OpenWrite")] = "OpenWriteTaskAsync",
    };

    /// <summary>A type as the table names it: namespace and containing types, no type arguments (<c>Ns.Outer.Inner</c>).</summary>
    private static readonly SymbolDisplayFormat TypeName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None);

    /// <summary>The built-in table alone (no <c>.editorconfig</c> entry).</summary>
    public static RenamedTwins BuiltIn { get; } = new(BuiltInTable);

    private readonly Dictionary<(string Type, string Method), string> _table;
    private readonly HashSet<string> _methodNames;

    private RenamedTwins(Dictionary<(string Type, string Method), string> table)
    {
        _table = table;
        _methodNames = new HashSet<string>(table.Keys.Select(k => k.Method), StringComparer.Ordinal);
    }

    /// <summary>
    /// The built-in table plus the entries of an <c>async_twin_names</c> value. Entries that are not
    /// <c>Type.Method=Name</c> with identifier-like parts are ignored, as unparsable API list entries are.
    /// </summary>
    public static RenamedTwins Parse(string value)
    {
        var table = new Dictionary<(string Type, string Method), string>(BuiltInTable);
        foreach (var raw in value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = raw.Split('=');
            if (parts.Length != 2)
                continue;
            var api = parts[0].Trim();
            if (api.StartsWith("M:", StringComparison.Ordinal))
                api = api.Substring(2);
            var twin = parts[1].Trim();
            var dot = api.LastIndexOf('.');
            if (dot <= 0 || dot == api.Length - 1 || !IsIdentifier(twin) || !api.Split('.').All(IsIdentifier))
                continue;
            table[(api.Substring(0, dot), api.Substring(dot + 1))] = twin;
        }

        return new RenamedTwins(table);
    }

    private static bool IsIdentifier(string text) =>
        text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '_') && text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '`');

    /// <summary>The twin's name for <paramref name="method"/>, or <see langword="null"/> for the usual <c>NameAsync</c>.</summary>
    public string? NameFor(IMethodSymbol method)
    {
        if (!_methodNames.Contains(method.Name))
            return null; // the hot path: one hash lookup

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (_table.TryGetValue((type.OriginalDefinition.ToDisplayString(TypeName), method.Name), out var name))
                return name;
        }

        return null;
    }
}
