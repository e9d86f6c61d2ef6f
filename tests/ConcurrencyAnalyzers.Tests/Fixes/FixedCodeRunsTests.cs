using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Tests.Rules.Compute;
using ConcurrencyAnalyzers.Tests.Rules.Threads;
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

    // CONC020: a compute thread's captured accumulator, and the per-partition results of threads started per item, are
    // the same when the work runs on the compute executor and in one Parallel.For.
    [Fact]
    public async Task ThreadsTurnedIntoTasks_ComputeTheSameValues()
    {
        var data = Enumerable.Range(-500, 2000).ToArray();
        var partitions = Enumerable.Range(0, 7).Select(p => Enumerable.Range(p * 100, 50 + p * 13).ToArray()).ToArray();
        var before = await RunAsync<long>(CONC020ComputeThreadFixTests.Statistics, "Statistics", "SumOfSquaresAsync", new object[] { data });
        var after = await RunAsync<long>(CONC020ComputeThreadFixTests.StatisticsFixed, "Statistics", "SumOfSquaresAsync", new object[] { data });
        Assert.Equal(before, after);
        Assert.Equal(data.Sum(x => (long)x * x), after);
        var countedBefore = await RunAsync<int>(CONC020ComputeThreadFixTests.Statistics, "Statistics", "PartitionsAsync", new object[] { partitions });
        var countedAfter = await RunAsync<int>(CONC020ComputeThreadFixTests.StatisticsFixed, "Statistics", "PartitionsAsync", new object[] { partitions });
        Assert.Equal(countedBefore, countedAfter);
        Assert.Equal(partitions.Sum(p => p.Count(x => x % 3 == 0)), countedAfter);
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
