using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConcurrencyAnalyzers.Analyzers.Benchmarks;

/// <summary>
/// (a)–(e): the compilation alone, the analyzer driver with an analyzer that registers nothing (the baseline: the
/// driver binds its own copy of the compilation, so this, not (a), is what analyzers add to), the driver with no-op
/// operation actions (the floor every operation-based analyzer pays), and each set of blocking rules: every CONC rule,
/// Meziantou's MA0042/MA0045, vs-threading's VSTHRD002/VSTHRD103, the SDK analyzers' CA1849. An analyzer set's own
/// cost is its time minus the baseline's, measured in the same run.
/// </summary>
public class AnalyzerCost
{
    private Corpus _corpus = null!;
    private AnalyzerSet _conc = null!;
    private AnalyzerSet _meziantou = null!;
    private AnalyzerSet _vsThreading = null!;
    private AnalyzerSet _ca1849 = null!;
    private AnalyzerSet _driver = null!;
    private AnalyzerSet _floor = null!;

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
        _driver = AnalyzerSet.Of(new Profile.NothingAnalyzer());
        _floor = AnalyzerSet.Of(new Profile.NoOpOperationAnalyzer());
    }

    [Benchmark(Description = "(a) compiler only")]
    public int Compiler() => _corpus.Compile();

    [Benchmark(Baseline = true, Description = "(a') driver, analyzer that registers nothing")]
    public Task<int> DriverAsync() => _corpus.AnalyzeAsync(_driver);

    [Benchmark(Description = "(a'') driver, no-op operation actions")]
    public Task<int> OperationFloorAsync() => _corpus.AnalyzeAsync(_floor);

    [Benchmark(Description = "(b) CONC, all rules")]
    public Task<int> ConcAsync() => _corpus.AnalyzeAsync(_conc);

    [Benchmark(Description = "(c) MA0042+MA0045")]
    public Task<int> MeziantouAsync() => _corpus.AnalyzeAsync(_meziantou);

    [Benchmark(Description = "(d) VSTHRD002+VSTHRD103")]
    public Task<int> VsThreadingAsync() => _corpus.AnalyzeAsync(_vsThreading);

    [Benchmark(Description = "(e) CA1849")]
    public Task<int> Ca1849Async() => _corpus.AnalyzeAsync(_ca1849);
}

/// <summary>(f) CONC005 alone as the corpus grows: its cost per file must stay flat (linear growth).</summary>
public class Conc005Scaling
{
    private Corpus _corpus = null!;
    private AnalyzerSet _conc005 = null!;
    private AnalyzerSet _driver = null!;

    [Params(250, 500, 1000, 2000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Create(Files);
        _conc005 = AnalyzerSet.ConcRule("CONC005");
        _driver = AnalyzerSet.Of(new Profile.NothingAnalyzer());
    }

    [Benchmark(Baseline = true, Description = "driver, analyzer that registers nothing")]
    public Task<int> DriverAsync() => _corpus.AnalyzeAsync(_driver);

    [Benchmark(Description = "CONC005")]
    public Task<int> Conc005Async() => _corpus.AnalyzeAsync(_conc005);
}

/// <summary>
/// (g) every CONC rule turned off, in each way a user does it: per ID, the bulk severity, the category severities,
/// <c>&lt;NoWarn&gt;</c> and the shipped <c>none</c> preset. Each must cost almost nothing over the compiler alone.
/// </summary>
public class RulesOff
{
    private Corpus _corpus = null!;
    private AnalyzerSet _perId = null!;
    private AnalyzerSet _bulk = null!;
    private AnalyzerSet _category = null!;
    private AnalyzerSet _noWarn = null!;
    private AnalyzerSet _nonePreset = null!;
    private AnalyzerSet _driver = null!;
    private AnalyzerSet _allOn = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Create(1000);
        _driver = AnalyzerSet.Of(new Profile.NothingAnalyzer());
        _allOn = AnalyzerSet.Conc();
        var ids = AnalyzerSet.ConcIds;
        _perId = AnalyzerSet.Conc(ids.ToDictionary(id => "dotnet_diagnostic." + id + ".severity", _ => "none", StringComparer.Ordinal));
        _bulk = AnalyzerSet.Conc(new Dictionary<string, string>(StringComparer.Ordinal) { ["dotnet_analyzer_diagnostic.severity"] = "none" });
        _category = AnalyzerSet.Conc(AnalyzerSet.ConcCategories.ToDictionary(c => "dotnet_analyzer_diagnostic.category-" + c + ".severity", _ => "none", StringComparer.Ordinal));
        _noWarn = AnalyzerSet.Conc(compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(ids.ToDictionary(id => id, _ => ReportDiagnostic.Suppress, StringComparer.Ordinal)));
        _nonePreset = AnalyzerSet.Conc(AnalyzerSet.NonePreset());
    }

    [Benchmark(Description = "compiler only")]
    public int Compiler() => _corpus.Compile();

    [Benchmark(Baseline = true, Description = "driver, analyzer that registers nothing")]
    public Task<int> DriverAsync() => _corpus.AnalyzeAsync(_driver);

    [Benchmark(Description = "CONC, all on")]
    public Task<int> AllOnAsync() => _corpus.AnalyzeAsync(_allOn);

    [Benchmark(Description = "off per ID (dotnet_diagnostic.CONCxxx.severity = none)")]
    public Task<int> PerIdAsync() => _corpus.AnalyzeAsync(_perId);

    [Benchmark(Description = "off in bulk (dotnet_analyzer_diagnostic.severity = none)")]
    public Task<int> BulkAsync() => _corpus.AnalyzeAsync(_bulk);

    [Benchmark(Description = "off by category")]
    public Task<int> CategoryAsync() => _corpus.AnalyzeAsync(_category);

    [Benchmark(Description = "off by <NoWarn>")]
    public Task<int> NoWarnAsync() => _corpus.AnalyzeAsync(_noWarn);

    [Benchmark(Description = "off by the none preset")]
    public Task<int> NonePresetAsync() => _corpus.AnalyzeAsync(_nonePreset);
}
