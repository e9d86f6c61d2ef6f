using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace ConcurrencyAnalyzers.Tests.Verifiers;

/// <summary>
/// The net10.0 reference assemblies of the installed SDK, loaded offline from its own targeting pack: no download, and
/// always the framework the machine runs.
/// </summary>
internal static class Net10References
{
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> All { get; } = Load();

    /// <summary>The runtime library, for fixes that target its executors and extensions.</summary>
    public static MetadataReference Runtime { get; } =
        MetadataReference.CreateFromFile(typeof(ConcurrencyAnalyzers.Runtime.WaitHandleExtensions).Assembly.Location);

    private static ImmutableArray<MetadataReference> Load()
    {
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → <dotnet>/packs/Microsoft.NETCore.App.Ref/<newest>/ref/net10.0
        var coreLib = typeof(object).Assembly.Location;
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(coreLib)!, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var newest = Directory.GetDirectories(packs)
            .Select(d => (Path: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0)))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Path, "ref", "net10.0"))
            .FirstOrDefault(Directory.Exists)
            ?? throw new InvalidOperationException($"No net10.0 reference pack under {packs}.");
        return Directory.GetFiles(newest, "*.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
