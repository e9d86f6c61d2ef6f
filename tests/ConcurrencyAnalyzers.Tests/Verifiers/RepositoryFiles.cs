using System;
using System.IO;

namespace ConcurrencyAnalyzers.Tests.Verifiers;

/// <summary>Finds files of this repository from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConcurrencyAnalyzers.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("ConcurrencyAnalyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
