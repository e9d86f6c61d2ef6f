using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>
/// The ConcurrencyAnalyzers and ConcurrencyAnalyzers.Runtime packages, packed once per run with a fresh version into a local folder feed, and an
/// isolated NuGet packages folder: each consumer sees exactly this package, the way a user's project would.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public string Root { get; } = FindRepositoryRoot();

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "conc-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public string Version { get; } = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Random.Shared.Next(1000, 9999);

    public string Feed => Path.Combine(WorkDirectory, "feed");

    public string Packages => Path.Combine(WorkDirectory, "packages");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // Stop MSBuild's upward search for Directory.Build.* and Directory.Packages.props at the work folder.
        await File.WriteAllTextAsync(Path.Combine(WorkDirectory, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(WorkDirectory, "Directory.Build.targets"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(WorkDirectory, "Directory.Packages.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(WorkDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        var configuration = typeof(PackedPackage).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // The two packages, as ./build.sh pack writes them: the runtime alone, and the analyzers that depend on it.
        foreach (var (project, id) in new[] { ("ConcurrencyAnalyzers.Runtime", "ConcurrencyAnalyzers.Runtime"), ("ConcurrencyAnalyzers.Package", "ConcurrencyAnalyzers") })
        {
            var result = await ProcessRunner.RunAsync("dotnet",
                $"pack src/{project}/{project}.csproj -c {configuration} --no-build -o \"{Feed}\" -p:Version={Version}",
                Root, Environment);
            Assert.True(result.ExitCode == 0, "pack failed: " + result);
            Assert.True(File.Exists(Path.Combine(Feed, $"{id}.{Version}.nupkg")), "no package in the feed: " + result);
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting build: the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }

    /// <summary>A new consumer project folder under the work folder.</summary>
    public Consumer CreateConsumer(string name, string extraProperties = "") => new(this, name, extraProperties);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConcurrencyAnalyzers.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("ConcurrencyAnalyzers.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "packed package";
}
