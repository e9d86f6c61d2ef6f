using BenchmarkDotNet.Attributes;

namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>
/// Throughput of tiny jobs through a warm pool of one worker per core, 2 000 in flight, without pipelining and at the
/// default depth. Its counterpart is Python's
/// <c>ProcessPoolExecutor</c> running the same job on the same machine (<c>python/process_pool.py</c>, run by
/// <c>./build.sh bench</c> right after this suite); the per-job time is what is compared.
/// </summary>
public class ProcessThroughput
{
    private const int Jobs = 2_000;
    private ProcessExecutor? _executor;

    public static int Twice(int value) => value * 2;

    /// <summary>1: one item per worker at a time (pipelining off); 8, the default: up to 8 items per worker while items are short.</summary>
    [Params(1, 8)]
    public int PipelineDepth { get; set; } = 1;

    [GlobalSetup]
    public Task SetupAsync()
    {
        _executor = new ProcessExecutor(new ProcessExecutorOptions { Name = "bench", WorkerCount = Environment.ProcessorCount, QueueCapacity = Jobs, PipelineDepth = PipelineDepth });
        return _executor.WarmUpAsync(CancellationToken.None);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _executor!.DisposeAsync().AsTask();

    [Benchmark(OperationsPerInvoke = Jobs, Description = "ProcessExecutor, per job")]
    public Task<int[]> ManyTinyJobs()
    {
        var tasks = new Task<int>[Jobs];
        for (var i = 0; i < Jobs; i++)
            tasks[i] = _executor!.RunAsync(Twice, i);
        return Task.WhenAll(tasks);
    }

    /// <summary>The same 2,000 jobs through MapAsync, 100 arguments per round trip (Python's map with chunksize=100).</summary>
    [Benchmark(OperationsPerInvoke = Jobs, Description = "MapAsync, chunkSize 100, per job")]
    public async Task<int> ChunkedMap()
    {
        var sum = 0;
        await foreach (var result in _executor!.MapAsync(Twice, Enumerable.Range(0, Jobs), chunkSize: 100, CancellationToken.None))
            sum += result;
        return sum;
    }
}
