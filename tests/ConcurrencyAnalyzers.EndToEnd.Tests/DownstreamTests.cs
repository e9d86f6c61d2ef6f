using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>
/// What reaches the projects downstream of a library that uses the executors: the runtime library, and neither the
/// analyzers nor the presets unless the library's author opts in. Through a project reference and through a package
/// reference, built with the real <c>dotnet build</c> and run.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class DownstreamTests(PackedPackage package)
{
    /// <summary>A library method on the executors, with a blocking call that CONC001 reports where the analyzers run.</summary>
    private const string LibrarySource = """
        using System.Threading.Tasks;
        using ConcurrencyAnalyzers.Runtime;

        namespace Shapes;

        public static class Squares
        {
            public static Task<int> SquareAsync(int x) => ThreadExecutor.Compute.RunAsync(() => x * x);

            public static async Task<int> BlockingAsync()
            {
                await Task.Yield();
                return Task.Run(() => 1).Result; // reported where the analyzers run (CONC001)
            }
        }
        """;

    /// <summary>An app that calls the library, with a blocking call of its own (line 5).</summary>
    private const string AppSource = """
        using System.Threading.Tasks;

        await Task.Yield();
        var fromLibrary = await Shapes.Squares.SquareAsync(12);
        var own = Task.Run(() => 2).Result; // blocking: reported only if the analyzers reached this project
        System.Console.WriteLine($"square={fromLibrary} own={own}");
        """;

    private const int AppBlockingLine = 5;

    private const int LibraryBlockingLine = 13;

    [Fact]
    public async Task ALibraryOnTheRuntimePackage_PassesOnTheExecutors_AndNoAnalyzers()
    {
        var library = Project("RuntimeLib", library: true, $"""<PackageReference Include="ConcurrencyAnalyzers.Runtime" Version="{package.Version}" />""", LibrarySource);
        // An invalid mode would fail the build (CONCMODE) if the presets reached the app.
        var app = Project("RuntimeApp", library: false, ProjectReference(library), AppSource, "<ConcurrencyAnalyzersMode>not-a-mode</ConcurrencyAnalyzersMode>");

        var libraryBuild = await BuildAsync(library);
        Assert.Empty(Consumer.Diagnostics(libraryBuild)); // the runtime package alone brings no analyzers

        await AssertAppRunsWithoutAnalyzersAsync(app);
    }

    [Fact]
    public async Task ALibraryOnTheFullPackage_IsAnalyzedItself_AndPassesOnOnlyTheRuntime_ThroughAProjectReference()
    {
        var library = Project("FullLib", library: true, $"""<PackageReference Include="ConcurrencyAnalyzers" Version="{package.Version}" />""", LibrarySource);
        var app = Project("FullApp", library: false, ProjectReference(library), AppSource, "<ConcurrencyAnalyzersMode>not-a-mode</ConcurrencyAnalyzersMode>");

        var libraryBuild = await BuildAsync(library);
        Assert.Equal(new[] { ("Squares.cs", LibraryBlockingLine, "CONC001") }, Consumer.Diagnostics(libraryBuild).Select(d => (d.File, d.Line, d.Id)));

        await AssertAppRunsWithoutAnalyzersAsync(app);
    }

    [Fact]
    public async Task ALibraryOnTheFullPackage_PackedAndReferencedAsAPackage_PassesOnOnlyTheRuntime()
    {
        var version = package.Version + ".lib";
        var library = Project("PackedLib", library: true, $"""<PackageReference Include="ConcurrencyAnalyzers" Version="{package.Version}" />""", LibrarySource,
            $"<IsPackable>true</IsPackable><PackageId>PackedLib</PackageId><Version>{version}</Version>");
        var pack = await ProcessRunner.RunAsync("dotnet", $"pack \"{library}\" -o \"{package.Feed}\"", Path.GetDirectoryName(library)!, package.Environment);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        // The library's package depends on ConcurrencyAnalyzers with its analyzers and build files excluded.
        await using (var archive = await ZipFile.OpenReadAsync(Path.Combine(package.Feed, $"PackedLib.{version}.nupkg")))
        {
            using var reader = new StreamReader(await archive.GetEntry("PackedLib.nuspec")!.OpenAsync());
            var nuspec = await reader.ReadToEndAsync();
            Assert.Matches($"""<dependency id="ConcurrencyAnalyzers" version="{System.Text.RegularExpressions.Regex.Escape(package.Version)}" exclude="Build,Analyzers" />""", nuspec);
        }

        var app = Project("PackedLibApp", library: false, $"""<PackageReference Include="PackedLib" Version="{version}" />""", AppSource, "<ConcurrencyAnalyzersMode>not-a-mode</ConcurrencyAnalyzersMode>");
        await AssertAppRunsWithoutAnalyzersAsync(app);
    }

    [Fact]
    public async Task ALibraryAuthorWhoOptsIn_PassesTheAnalyzersOn()
    {
        var library = Project("OptInLib", library: true, $"""<PackageReference Include="ConcurrencyAnalyzers" Version="{package.Version}" PrivateAssets="none" />""", LibrarySource);
        var app = Project("OptInApp", library: false, ProjectReference(library), AppSource);

        var build = await BuildAsync(app);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(("Program.cs", AppBlockingLine, "CONC001"), Consumer.Diagnostics(build).Select(d => (d.File, d.Line, d.Id)));
    }

    private async Task AssertAppRunsWithoutAnalyzersAsync(string app)
    {
        var build = await BuildAsync(app);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("CONCMODE", build.Output);
        // The app's own source only (building it rebuilds a referenced library project, which reports its own line).
        Assert.DoesNotContain(Consumer.Diagnostics(build), d => d.File == "Program.cs");

        var run = await ProcessRunner.RunAsync("dotnet", $"run --project \"{app}\" --no-build", Path.GetDirectoryName(app)!, package.Environment);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("square=144 own=2", run.Output);
    }

    private Task<ProcessResult> BuildAsync(string project) =>
        ProcessRunner.RunAsync("dotnet", $"build \"{project}\" --no-incremental", Path.GetDirectoryName(project)!, package.Environment);

    private static string ProjectReference(string project) => $"""<ProjectReference Include="{project}" />""";

    /// <summary>Writes a project (a net10.0 class library or console app) with one source file; returns its path.</summary>
    private string Project(string name, bool library, string reference, string source, string extraProperties = "")
    {
        var directory = Path.Combine(package.WorkDirectory, "downstream", name);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".csproj");
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{(library ? "Library" : "Exe")}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, library ? "Squares.cs" : "Program.cs"), source);
        return path;
    }
}
