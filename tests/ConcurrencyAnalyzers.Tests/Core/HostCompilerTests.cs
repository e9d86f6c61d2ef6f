using System;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Core;

/// <summary>Each run of the suites is on the compiler it claims: the main run on Roslyn 5 with C# 14, the other on 4.11 (C# 12).</summary>
public class HostCompilerTests
{
    public static bool IsRoslyn411Run => Assembly.GetExecutingAssembly().GetName().Name!.EndsWith("Roslyn411", StringComparison.Ordinal);

    [Fact]
    public void TheRunsCompiler_IsTheOneItsProjectNames()
    {
        var version = typeof(Compilation).Assembly.GetName().Version!;
        var latest = (int)LanguageVersion.Latest.MapSpecifiedToEffectiveVersion();
        if (IsRoslyn411Run)
        {
            Assert.Equal(new Version(4, 11), new Version(version.Major, version.Minor));
            Assert.Equal(1200, latest); // C# 12: C# 13 came with Roslyn 4.12
        }
        else
        {
            Assert.True(version >= new Version(5, 12), "main run on Roslyn " + version);
            Assert.True(latest >= 1400, "main run's latest C# is " + latest); // C# 14
        }
    }

    [Fact]
    public void TheAnalyzerAssembly_StaysCompiledAgainstRoslyn411()
    {
        foreach (var reference in typeof(ConcurrencyAnalyzer).Assembly.GetReferencedAssemblies())
        {
            if (reference.Name == "Microsoft.CodeAnalysis")
                Assert.Equal(new Version(4, 11, 0, 0), reference.Version);
        }
    }
}
