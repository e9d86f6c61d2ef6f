using BenchmarkDotNet.Attributes;

namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>Per-item overhead for tiny work: one round trip at a time, and a batch of 1,000 in flight.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ThreadExecutorOverhead
{
    private const int Batch = 1000;
    private readonly ThreadExecutor _executor = new(ThreadExecutorOptions.ForCompute());
    private readonly Task<int>[] _tasks = new Task<int>[Batch];

    [GlobalCleanup]
    public Task CleanupAsync() => _executor.DisposeAsync().AsTask();

    [Benchmark(Baseline = true, OperationsPerInvoke = 100)]
    [BenchmarkCategory("round trip")]
    public async Task<int> TaskRun_RoundTrip()
    {
        var sum = 0;
        for (var i = 0; i < 100; i++)
            sum += await Task.Run(() => i + 1);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 100)]
    [BenchmarkCategory("round trip")]
    public async Task<int> ThreadExecutor_RoundTrip()
    {
        var sum = 0;
        for (var i = 0; i < 100; i++)
        {
            var n = i;
            sum += await _executor.RunAsync(() => n + 1);
        }

        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    [BenchmarkCategory("batch")]
    public async Task<int> TaskRun_Batch()
    {
        for (var i = 0; i < Batch; i++)
        {
            var n = i;
            _tasks[i] = Task.Run(() => n + 1);
        }

        return (await Task.WhenAll(_tasks)).Length;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("batch")]
    public async Task<int> ThreadExecutor_Batch()
    {
        for (var i = 0; i < Batch; i++)
        {
            var n = i;
            _tasks[i] = _executor.RunAsync(() => n + 1);
        }

        return (await Task.WhenAll(_tasks)).Length;
    }
}
