using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConcurrencyAnalyzers.Analyzers.Benchmarks;

/// <summary>
/// (a)–(e): the compilation alone (the baseline), and with each set of blocking rules: every CONC rule, Meziantou's
/// MA0042/MA0045, vs-threading's VSTHRD002/VSTHRD103, the SDK analyzers' CA1849. An analyzer set's own cost is its time
/// minus the baseline's, measured in the same run.
/// </summary>
public class AnalyzerCost
{
    private Corpus _corpus = null!;
    private AnalyzerSet _conc = null!;
    private AnalyzerSet _meziantou = null!;
    private AnalyzerSet _vsThreading = null!;
    private AnalyzerSet _ca1849 = null!;

    [Params(1000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Create(Files);
        _conc = AnalyzerSet.Conc();
        _meziantou = AnalyzerSet.Peer("Meziantou", new[] { "Meziantou.Analyzer.dll" }, "MA0042", "MA0045");
        _vsThreading = AnalyzerSet.Peer("VsThreading", new[] { "Microsoft.VisualStudio.Threading.Analyzers.CSharp.dll", "Microsoft.VisualStudio.Threading.Analyzers.dll" }, "VSTHRD002", "VSTHRD103");
        _ca1849 = AnalyzerSet.Peer("NetAnalyzers", new[] { "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll", "Microsoft.CodeAnalysis.NetAnalyzers.dll" }, "CA1849");
    }

    [Benchmark(Baseline = true, Description = "(a) compiler only")]
    public int Compiler() => _corpus.Compile();

    [Benchmark(Description = "(b) CONC, all rules")]
    public Task<int> Conc() => _corpus.AnalyzeAsync(_conc);

    [Benchmark(Description = "(c) MA0042+MA0045")]
    public Task<int> Meziantou() => _corpus.AnalyzeAsync(_meziantou);

    [Benchmark(Description = "(d) VSTHRD002+VSTHRD103")]
    public Task<int> VsThreading() => _corpus.AnalyzeAsync(_vsThreading);

    [Benchmark(Description = "(e) CA1849")]
    public Task<int> Ca1849() => _corpus.AnalyzeAsync(_ca1849);
}

/// <summary>(f) CONC005 alone as the corpus grows: its cost per file must stay flat (linear growth).</summary>
public class Conc005Scaling
{
    private Corpus _corpus = null!;
    private AnalyzerSet _conc005 = null!;

    [Params(250, 500, 1000, 2000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Create(Files);
        _conc005 = AnalyzerSet.ConcRule("CONC005");
    }

    [Benchmark(Baseline = true, Description = "compiler only")]
    public int Compiler() => _corpus.Compile();

    [Benchmark(Description = "CONC005")]
    public Task<int> Conc005() => _corpus.AnalyzeAsync(_conc005);
}

/// <summary>
/// (g) every CONC rule turned off, in each way a user does it: per ID, the bulk severity, the category severities,
/// <c>&lt;NoWarn&gt;</c> and the shipped <c>none</c> preset. Each must cost almost nothing over the compiler alone.
/// </summary>
public class RulesOff
{
    private Corpus _corpus = null!;
    private AnalyzerSet _off = null!;

    [Params("per-id", "bulk", "category", "nowarn", "none-preset")]
    public string Way { get; set; } = "per-id";

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Create(1000);
        var ids = AnalyzerSet.ConcIds;
        _off = Way switch
        {
            "per-id" => AnalyzerSet.Conc(ids.ToDictionary(id => "dotnet_diagnostic." + id + ".severity", _ => "none")),
            "bulk" => AnalyzerSet.Conc(new Dictionary<string, string> { ["dotnet_analyzer_diagnostic.severity"] = "none" }),
            "category" => AnalyzerSet.Conc(new Dictionary<string, string>
            {
                ["dotnet_analyzer_diagnostic.category-Blocking.severity"] = "none",
                ["dotnet_analyzer_diagnostic.category-ThreadPool.severity"] = "none",
            }),
            "nowarn" => AnalyzerSet.Conc(compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(ids.ToDictionary(id => id, _ => ReportDiagnostic.Suppress))),
            _ => AnalyzerSet.Conc(AnalyzerSet.NonePreset()),
        };
    }

    [Benchmark(Baseline = true, Description = "compiler only")]
    public int Compiler() => _corpus.Compile();

    [Benchmark(Description = "CONC, all off")]
    public Task<int> AllOff() => _corpus.AnalyzeAsync(_off);
}
