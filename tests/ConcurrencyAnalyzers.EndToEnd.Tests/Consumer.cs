using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>A user's project that references the packed package, built and formatted with the real dotnet CLI.</summary>
public sealed partial class Consumer
{
    private readonly PackedPackage _package;

    public Consumer(PackedPackage package, string name, string extraProperties)
    {
        _package = package;
        Directory = Path.Combine(package.WorkDirectory, name);
        System.IO.Directory.CreateDirectory(Directory);
        ProjectPath = Path.Combine(Directory, name + ".csproj");
        File.WriteAllText(ProjectPath, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ConcurrencyAnalyzers" Version="{package.Version}" />
              </ItemGroup>
            </Project>
            """);
    }

    public string Directory { get; }

    public string ProjectPath { get; }

    public Consumer WithFile(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    public Task<ProcessResult> BuildAsync(string arguments = "") =>
        ProcessRunner.RunAsync("dotnet", $"build \"{ProjectPath}\" --no-incremental {arguments}", Directory, _package.Environment);

    public Task<ProcessResult> RestoreAsync() =>
        ProcessRunner.RunAsync("dotnet", $"restore \"{ProjectPath}\"", Directory, _package.Environment);

    public Task<ProcessResult> FormatAsync(string arguments) =>
        ProcessRunner.RunAsync("dotnet", $"format analyzers \"{ProjectPath}\" --no-restore {arguments}", Directory, _package.Environment);

    public Task<ProcessResult> RunAsync() =>
        ProcessRunner.RunAsync("dotnet", $"run --project \"{ProjectPath}\" --no-build", Directory, _package.Environment);

    /// <summary>The distinct CONC diagnostics of a build's output: (file name, line, severity, id).</summary>
    public static IReadOnlySet<(string File, int Line, string Severity, string Id)> Diagnostics(ProcessResult result) =>
        DiagnosticLine().Matches(result.Output)
            .Select(m => (Path.GetFileName(m.Groups["file"].Value), int.Parse(m.Groups["line"].Value), m.Groups["severity"].Value, m.Groups["id"].Value))
            .ToHashSet();

    /// <summary>Lines marked <c>// expect CONCxxx</c> in a source: where the diagnostics must be.</summary>
    public static IReadOnlySet<(string File, int Line, string Id)> Expected(string fileName, string source) =>
        source.Split('\n')
            .Select((text, index) => (text, line: index + 1))
            .SelectMany(l => ExpectMarker().Matches(l.text).Select(m => (fileName, l.line, m.Groups[1].Value)))
            .ToHashSet();

    [GeneratedRegex(@"(?<file>[^\s:(]+\.cs)\((?<line>\d+),\d+\): (?<severity>warning|error) (?<id>CONC\d{3})")]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex(@"expect (CONC\d{3})")]
    private static partial Regex ExpectMarker();
}
