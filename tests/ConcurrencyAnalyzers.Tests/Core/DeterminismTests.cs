using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Core;

/// <summary>
/// The same sources give the same diagnostics in every build, whatever the order of callbacks: every analyzer of the
/// package over the same compilation, many times, with concurrent execution on and off and the classes in both orders.
/// </summary>
public class DeterminismTests
{
    // Two classes in one file, each calling its own unqualified Load(); only the first has a LoadAsync(). The twin
    // finder's "no candidates" cache once collided on (no receiver, "LoadAsync", file): whichever class was analyzed
    // first decided for both, and the diagnostic in First appeared in some builds and not in others. (Load is virtual:
    // the body that runs is not known, so CONC003 judges it by its sibling's name.)
    private const string First = """
        class First
        {
            protected virtual string Load() => File.ReadAllText("a");
            Task<string> LoadAsync() => File.ReadAllTextAsync("a");
            async Task<string> RunAsync() { await Task.Yield(); return Load(); }
        }
        """;

    private const string Second = """
        class Second
        {
            protected virtual string Load() => "b";
            async Task<string> RunAsync() { await Task.Yield(); return Load(); }
        }
        """;

    private const string Mixed = """
        class Mixed
        {
            async Task<int> M(Task<int> a, Task<int> b, List<Task<int>> tasks, SemaphoreSlim gate, Stream stream)
            {
                await Task.WhenAll(a, b);
                var x = a.Result + b.Result + tasks[0].Result;
                Thread.Sleep(5);
                gate.Wait();
                stream.Read(new byte[4], 0, 4);
                using var writer = new StreamWriter(stream);
                return x + tasks.Where(t => t.IsCompleted).Sum(t => t.Result) + Settings().Length + Quiet().Length;
            }

            // CONC005: a chain of helpers whose summaries are shared and computed lazily, in whatever order callbacks run.
            static string Settings() => Read("s") + Read("t");
            static string Read(string path) => Normalize(File.ReadAllText(path));
            static string Normalize(string text) => text.Trim();
            static string Quiet() => Normalize("q");
        }
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SameCompilation_ManyRuns_SameDiagnostics(bool firstClassFirst)
    {
        var classes = firstClassFirst ? First + "\n" + Second : Second + "\n" + First;
        var sources = new[] { TestSources.Usings + classes, TestSources.Usings + Mixed };
        var runs = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            // A fresh compilation per run: the shared analysis object (and its caches) is per compilation.
            var compilation = CSharpCompilation.Create(
                "Determinism",
                sources.Select((s, n) => CSharpSyntaxTree.ParseText(s, path: "File" + n + ".cs")),
                Net10References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: i % 2 == 0, logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(AllRules.Analyzers, options).GetAnalyzerDiagnosticsAsync();
            runs.Add(string.Join("\n", diagnostics.Select(d => d.Id + " " + d.Location.GetLineSpan() + " " + d.GetMessage()).OrderBy(x => x)));
        }

        Assert.All(runs, run => Assert.Equal(runs[0], run));
        var lines = runs[0].Split('\n');
        Assert.Contains(lines, l => l.StartsWith("CONC003") && l.Contains("'First.Load'"));
        Assert.DoesNotContain(lines, l => l.Contains("'Second.Load'"));
        Assert.Equal(new[] { "CONC001", "CONC002", "CONC003", "CONC003", "CONC004", "CONC005" }, lines.Where(l => l.Contains("File1.cs")).Select(l => l.Split(' ')[0]).OrderBy(x => x));
        Assert.Contains(lines, l => l.StartsWith("CONC005") && l.Contains("'Settings()' blocks: Settings → Read → File.ReadAllText (synchronous I/O)"));
    }
}
