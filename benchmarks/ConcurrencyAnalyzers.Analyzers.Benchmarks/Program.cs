using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using ConcurrencyAnalyzers.Analyzers.Benchmarks;

// ./build.sh bench analyzers           the suites below: one warm-up and three measured runs each, one invocation per
//                                      run (each is a whole compilation); --full for BenchmarkDotNet's default counts
// ./build.sh bench analyzers --check   build the corpus once, run every analyzer set once, print counts (no timing)
// ./build.sh bench analyzers --profile per-analyzer execution times (the driver's telemetry) beside a no-op analyzer
// ./build.sh bench analyzers --interleaved [rounds [filter]]  every set (or those whose name contains filter) in one process, rounds interleaved (medians, paired differences)
// ./build.sh bench analyzers --conc-only  the CONC rules twice, for a CPU profiler (dotnet-trace collect -- …)
if (args.Contains("--profile"))
{
    await Profile.RunAsync(1000);
    return;
}

if (args.Contains("--conc-only"))
{
    // For a CPU profiler (dotnet-trace collect -- …): the CONC rules over the corpus, twice (the second run is warm).
    var corpus = Corpus.Create(1000);
    for (var i = 0; i < 2; i++)
        Console.WriteLine($"CONC diagnostics: {await corpus.AnalyzeAsync(AnalyzerSet.Conc())}");
    return;
}

if (args.Contains("--interleaved"))
{
    var index = Array.IndexOf(args, "--interleaved");
    var rounds = index + 1 < args.Length && int.TryParse(args[index + 1], out var n) ? n : 5;
    await Interleaved.RunAsync(1000, rounds, index + 2 < args.Length ? args[index + 2] : null);
    return;
}

if (args.Contains("--check"))
{
    var corpus = Corpus.Create(1000);
    Console.WriteLine($"corpus: 1000 files, {corpus.Lines} lines; CONC rules: {string.Join(" ", AnalyzerSet.ConcIds)}");
    foreach (var group in corpus.Compilation().GetDiagnostics().GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
        Console.WriteLine($"  compiler {group.Key} x{group.Count()}: {group.First().GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
    var cost = new AnalyzerCost { Files = 1000 };
    cost.Setup();
    Console.WriteLine($"compiler diagnostics {cost.Compiler()}, with CONC {await cost.ConcAsync()}, MA {await cost.MeziantouAsync()}, VSTHRD {await cost.VsThreadingAsync()}, CA1849 {await cost.Ca1849Async()}");
    return;
}

var full = args.Contains("--full");
var job = full
    ? Job.Default.WithInvocationCount(1).WithUnrollFactor(1)
    : Job.Default.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1).WithInvocationCount(1).WithUnrollFactor(1);
var config = DefaultConfig.Instance
    .AddJob(job)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
var rest = args.Where(a => a is not "--full").ToArray();
BenchmarkSwitcher.FromAssembly(typeof(Corpus).Assembly).Run(rest.Length > 0 ? rest : new[] { "--filter", "*" }, config);
