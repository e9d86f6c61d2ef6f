using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Tests.Rules.Compute;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Fixes;

/// <summary>
/// The offloading fixes keep the values the code computes: the flagged source and the fixer's output (the very text the
/// fix tests assert) are compiled, loaded and run on the same inputs, and must give the same results — the second on
/// the runtime library's compute executor.
/// </summary>
public class FixedCodeRunsTests
{
    // CONC010: accumulators declared before the loops (one, and two in one declaration) are assigned in place inside
    // the offloaded lambda and read after it.
    [Fact]
    public async Task OffloadedLoops_ComputeTheSameValues()
    {
        var samples = Enumerable.Range(1, 300).Select(i => i / 7.0).ToArray();
        var baseline = Enumerable.Range(1, 200).Select(i => i / 3.0).ToArray();
        var before = await RunAsync<double>(CONC010CpuBoundLoopTests.Scoring, "Scoring", "ScoreAsync", samples, baseline, Stream.Null, CancellationToken.None);
        var after = await RunAsync<double>(CONC010CpuBoundLoopTests.ScoringFixed, "Scoring", "ScoreAsync", samples, baseline, Stream.Null, CancellationToken.None);
        Assert.Equal(before, after);
        Assert.True(after > 0);
    }

    // CONC011: each call's value comes back from RunAsync, and the code after it sees the same values.
    [Fact]
    public async Task OffloadedCalls_DeliverTheSameValues()
    {
        var salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var before = await RunAsync<int>(CONC011CpuHeavyCallTests.Accounts, "Accounts", "RegisterAsync", "secret", salt, new MemoryStream(), CancellationToken.None);
        var after = await RunAsync<int>(CONC011CpuHeavyCallTests.AccountsFixed, "Accounts", "RegisterAsync", "secret", salt, new MemoryStream(), CancellationToken.None);
        Assert.Equal(before, after);
        Assert.Equal(32 + 4096 + 1, after);
    }

    private static async Task<T> RunAsync<T>(string markedSource, string typeName, string methodName, params object[] arguments)
    {
        var source = TestSources.Usings + Regex.Replace(markedSource, @"\{\|#\d+:|\|\}", string.Empty);
        var compilation = CSharpCompilation.Create(
            "Run" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) },
            Net10References.All.Add(Net10References.Runtime),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var type = assembly.GetType(typeName, throwOnError: true)!;
            var instance = Activator.CreateInstance(type, nonPublic: true);
            var method = type.GetMethod(methodName, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
            return await (Task<T>)method.Invoke(instance, arguments)!;
        }
        finally
        {
            context.Unload();
        }
    }
}
