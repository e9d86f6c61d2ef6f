using BenchmarkDotNet.Attributes;

namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>AsyncExecutor against Parallel.ForEachAsync at the same degree of parallelism, on 2,000 tiny async items.</summary>
[MemoryDiagnoser]
public class AsyncExecutorThroughput
{
    private const int Items = 2000;
    private const int Parallelism = 16;
    private readonly int[] _source = Enumerable.Range(0, Items).ToArray();
    private readonly AsyncExecutor _executor = new(new AsyncExecutorOptions { WorkerCount = Parallelism });
    private int _sink;

    [GlobalCleanup]
    public Task CleanupAsync() => _executor.DisposeAsync().AsTask();

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public Task ParallelForEachAsync() =>
        Parallel.ForEachAsync(_source, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, _) =>
        {
            await Task.Yield();
            Interlocked.Add(ref _sink, i);
        });

    [Benchmark(OperationsPerInvoke = Items)]
    public Task AsyncExecutor_ForEachAsync() =>
        _executor.ForEachAsync(_source, async (i, _) =>
        {
            await Task.Yield();
            Interlocked.Add(ref _sink, i);
        }, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Items)]
    public async Task<int> AsyncExecutor_MapUnorderedAsync()
    {
        var count = 0;
        await foreach (var _ in _executor.MapUnorderedAsync(_source, async (i, _) => { await Task.Yield(); return i; }, CancellationToken.None))
            count++;
        return count;
    }
}
