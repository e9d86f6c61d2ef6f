using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Analyzers.Benchmarks;

/// <summary>
/// <c>--interleaved [rounds [name filter]]</c>: every analyzer set of the suites, in one process, round after round in the same order,
/// so that the machine's drift (±30% between runs here) hits every set alike. Prints, per set, the median wall time
/// and the median of its per-round difference to the driver baseline measured in the same round.
/// </summary>
internal static class Interleaved
{
    public static async Task RunAsync(int files, int rounds, string? only = null)
    {
        var corpus = Corpus.Create(files);
        var ids = AnalyzerSet.ConcIds;
        var nonePreset = await Task.Run(() => AnalyzerSet.NonePreset()).ConfigureAwait(false); // reads the shipped preset file
        var sets = new (string Name, AnalyzerSet Set)[]
        {
            ("(a') driver, analyzer that registers nothing", AnalyzerSet.Of(new Profile.NothingAnalyzer())),
            ("(a'') driver, no-op operation actions", AnalyzerSet.Of(new Profile.NoOpOperationAnalyzer())),
            ("(b) CONC, all rules", AnalyzerSet.Conc()),
            ("(c) MA0042+MA0045", AnalyzerSet.Peer("Meziantou", new[] { "Meziantou.Analyzer.dll" }, "MA0042", "MA0045")),
            ("(d) VSTHRD002+VSTHRD103", AnalyzerSet.Peer("VsThreading", new[] { "Microsoft.VisualStudio.Threading.Analyzers.CSharp.dll", "Microsoft.VisualStudio.Threading.Analyzers.dll" }, "VSTHRD002", "VSTHRD103")),
            ("(e) CA1849", AnalyzerSet.Peer("NetAnalyzers", new[] { "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll", "Microsoft.CodeAnalysis.NetAnalyzers.dll" }, "CA1849")),
            ("CONC off per ID", AnalyzerSet.Conc(ids.ToDictionary(id => "dotnet_diagnostic." + id + ".severity", _ => "none", StringComparer.Ordinal))),
            ("CONC off in bulk", AnalyzerSet.Conc(new Dictionary<string, string>(StringComparer.Ordinal) { ["dotnet_analyzer_diagnostic.severity"] = "none" })),
            ("CONC off by category", AnalyzerSet.Conc(AnalyzerSet.ConcCategories.ToDictionary(c => "dotnet_analyzer_diagnostic.category-" + c + ".severity", _ => "none", StringComparer.Ordinal))),
            ("CONC off by <NoWarn>", AnalyzerSet.Conc(compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(ids.ToDictionary(id => id, _ => ReportDiagnostic.Suppress, StringComparer.Ordinal)))),
            ("CONC off by the none preset", AnalyzerSet.Conc(nonePreset)),
        };
        if (only is not null)
            sets = sets.Where((s, i) => i == 0 || s.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToArray(); // the baseline stays
        var times = sets.ToDictionary(s => s.Name, _ => new List<double>());
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (name, set) in sets)
            {
                var clock = Stopwatch.StartNew();
                await corpus.AnalyzeAsync(set).ConfigureAwait(false);
                if (round > 0)
                    times[name].Add(clock.Elapsed.TotalSeconds); // round 0 warms up
            }
        }

        var baseline = times[sets[0].Name];
        Console.WriteLine($"corpus: {files} files, {corpus.Lines} lines; {rounds} measured rounds after one warm-up round");
        Console.WriteLine($"| set | median | median over the driver baseline, same round |");
        Console.WriteLine($"|---|---:|---:|");
        foreach (var (name, _) in sets)
        {
            var over = times[name].Select((t, i) => t - baseline[i]).ToList();
            Console.WriteLine($"| {name} | {Median(times[name]):F2} s | {(name == sets[0].Name ? "0" : (Median(over) >= 0 ? "+" : "") + Median(over).ToString("F2") + " s")} |");
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }
}
