using BenchmarkDotNet.Attributes;

namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>
/// Per-item overhead for tiny work: one round trip at a time, and a batch of 1,000 in flight — one <c>RunAsync</c> per
/// item, the same items through <c>MapAsync</c> in chunks, and the hand-off floor (<see cref="HandOffFloor"/>).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ThreadExecutorOverhead
{
    private const int Batch = 1000;
    private readonly ThreadExecutor _executor = new(ThreadExecutorOptions.ForCompute());
    private readonly Task<int>[] _tasks = new Task<int>[Batch];
    private HandOffFloor? _floor;

    // Its threads never park, so it runs only in the process of the benchmark that measures it.
    [GlobalSetup(Target = nameof(HandOffFloor_Batch))]
    public void StartFloor() => _floor = new HandOffFloor(Environment.ProcessorCount);

    [GlobalCleanup]
    public Task CleanupAsync()
    {
        _floor?.Stop();
        return _executor.DisposeAsync().AsTask();
    }

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

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("batch")]
    public async Task<int> ThreadExecutor_MapAsync_Chunks100()
    {
        var sum = 0;
        await foreach (var result in _executor.MapAsync(static (int n) => n + 1, Enumerable.Range(0, Batch), chunkSize: 100, CancellationToken.None))
            sum += result;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("batch")]
    public async Task<int> HandOffFloor_Batch()
    {
        for (var i = 0; i < Batch; i++)
        {
            var n = i;
            _tasks[i] = _floor!.RunAsync(() => n + 1);
        }

        return (await Task.WhenAll(_tasks)).Length;
    }
}
