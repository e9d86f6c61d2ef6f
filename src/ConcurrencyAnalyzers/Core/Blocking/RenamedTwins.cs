using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Async twins whose name is not the synchronous name + <c>Async</c>: a small table of BCL APIs, by containing type
/// and method name. The twin must still bind where the call is, like any other.
/// </summary>
internal static class RenamedTwins
{
    private static readonly Dictionary<(string Type, string Method), string> Table = new()
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

    private static readonly HashSet<string> MethodNames = new(System.Linq.Enumerable.Select(Table.Keys, k => k.Method));

    /// <summary>The twin's name for <paramref name="method"/>, or <see langword="null"/> for the usual <c>NameAsync</c>.</summary>
    public static string? NameFor(IMethodSymbol method)
    {
        if (!MethodNames.Contains(method.Name))
            return null; // the hot path: one hash lookup

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.ContainingNamespace is { IsGlobalNamespace: false } ns
                && Table.TryGetValue((ns.ToDisplayString() + "." + type.MetadataName, method.Name), out var name))
                return name;
        }

        return null;
    }
}
