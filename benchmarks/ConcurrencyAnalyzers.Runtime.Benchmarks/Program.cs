using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using ConcurrencyAnalyzers.Runtime.Benchmarks;

// ./build.sh bench            short job (a few iterations; the figures quoted in notes)
// ./build.sh bench --full     BenchmarkDotNet's default job
// ./build.sh bench --memory   peak managed heap of AsyncExecutor vs unbounded fan-out on 1,000,000 items
if (args.Contains("--memory"))
{
    await PeakMemory.RunAsync();
    return;
}

var full = args.Contains("--full");
var config = DefaultConfig.Instance
    .AddJob(full ? Job.Default : Job.ShortRun)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
    .Run(args.Where(a => a is not "--full").ToArray() is { Length: > 0 } rest ? rest : new[] { "--filter", "*" }, config);
