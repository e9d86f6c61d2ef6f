using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>
/// The editor's view: a real C# language server (csharp-ls, installed as a dotnet tool) loads a user's project that
/// references the packed package, and the package's diagnostics reach the client as squiggles on the right lines.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class EditorTests(PackedPackage package)
{
    private const string LanguageServerVersion = "0.28.0";

    [Fact]
    public async Task LanguageServer_ShowsTheRulesOnTheOpenDocument()
    {
        var consumer = package.CreateConsumer("Editor")
            .WithFile(ConsumerSources.ServiceFile, ConsumerSources.Service)
            .WithFile(ConsumerSources.ProgramFile, ConsumerSources.Program);
        var restore = await consumer.RestoreAsync();
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var tools = Path.Combine(package.WorkDirectory, "tools");
        var install = await ProcessRunner.RunAsync("dotnet", $"tool install csharp-ls --version {LanguageServerVersion} --tool-path \"{tools}\"", package.WorkDirectory, package.Environment);
        Assert.True(install.ExitCode == 0, install.ToString());

        await using var server = LspClient.Start(Path.Combine(tools, "csharp-ls"), string.Empty, consumer.Directory, package.Environment, AnswerServer);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var root = new Uri(consumer.Directory + Path.DirectorySeparatorChar).AbsoluteUri;
        await server.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = root,
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject { ["configuration"] = true },
                ["textDocument"] = new JsonObject
                {
                    ["publishDiagnostics"] = new JsonObject(),
                    ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false },
                },
            },
        }, timeout.Token);
        await server.NotifyAsync("initialized", new JsonObject(), timeout.Token);

        var path = Path.Combine(consumer.Directory, ConsumerSources.ServiceFile);
        var uri = new Uri(path).AbsoluteUri;
        await server.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = ConsumerSources.Service },
        }, timeout.Token);

        var expected = Consumer.Expected(ConsumerSources.ServiceFile, ConsumerSources.Service)
            .Select(e => (Line: e.Line - 1, e.Id)) // LSP lines are zero-based
            .OrderBy(x => x)
            .ToList();
        List<(int Line, string Id)> seen = new();
        try
        {
            while (true)
            {
                // Pull diagnostics; a server still loading the project answers with fewer (or none) until it is ready.
                var report = await server.RequestAsync("textDocument/diagnostic", new JsonObject
                {
                    ["textDocument"] = new JsonObject { ["uri"] = uri },
                }, timeout.Token);
                var items = report?["items"]?.AsArray() ?? server.PublishedDiagnostics.GetValueOrDefault(uri) ?? new JsonArray();
                seen = Conc(items);
                if (seen.SequenceEqual(expected))
                    break;
                await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Out of time: the assertion below says what the editor showed.
        }

        Assert.True(expected.SequenceEqual(seen), $"expected {string.Join(", ", expected)}; saw {string.Join(", ", seen)}\n{server.Log}");
    }

    private static List<(int Line, string Id)> Conc(JsonArray items) =>
        items.Select(d => (Line: d!["range"]!["start"]!["line"]!.GetValue<int>(), Id: d["code"]?.ToString() ?? string.Empty))
            .Where(d => d.Id.StartsWith("CONC", StringComparison.Ordinal))
            .Distinct()
            .OrderBy(x => x)
            .ToList();

    /// <summary>csharp-ls runs third-party analyzers only when the client's "csharp" settings turn them on.</summary>
    private static JsonNode? AnswerServer(string method, JsonNode? parameters)
    {
        if (method != "workspace/configuration")
            return null;
        var answers = new JsonArray();
        foreach (var item in parameters?["items"]?.AsArray() ?? new JsonArray())
        {
            answers.Add(item?["section"]?.GetValue<string>() == "csharp"
                ? new JsonObject { ["analyzersEnabled"] = true }
                : new JsonObject());
        }

        return answers;
    }
}
