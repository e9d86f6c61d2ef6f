using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>
/// Mixed load: CPU-bound work saturating the machine, and a stream of small I/O operations (timer waits) whose
/// continuations need a thread-pool thread. With the CPU work on <c>Task.Run</c> it occupies the pool and the I/O
/// continuations queue behind it; on the compute executor the pool stays free. Each operation measures the time for
/// 50 sequential 1 ms I/O waits; the p99 of the per-wait latency beyond the 1 ms is reported in the log.
/// </summary>
public class IoLatencyUnderCpuLoad
{
    private const int IoOperations = 50;
    private readonly List<double> _overshootMs = new();
    private CancellationTokenSource? _stop;
    private Task[] _load = Array.Empty<Task>();
    private ThreadExecutor? _compute;

    [Params("Task.Run", "ThreadExecutor.Compute")]
    public string CpuWorkOn { get; set; } = "Task.Run";

    [GlobalSetup]
    public void StartLoad()
    {
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _compute = new ThreadExecutor(ThreadExecutorOptions.ForCompute());
        // Twice as many CPU jobs as cores, each a loop of 20 ms slices, until the benchmark ends.
        _load = Enumerable.Range(0, 2 * Environment.ProcessorCount).Select(_ => CpuWorkOn == "Task.Run"
            ? Task.Run(() => Spin(token))
            : _compute.RunAsync(() => Spin(token))).ToArray();
    }

    [GlobalCleanup]
    public async Task StopLoadAsync()
    {
        _stop!.Cancel();
        await Task.WhenAll(_load);
        await _compute!.DisposeAsync();
        _overshootMs.Sort();
        if (_overshootMs.Count > 0)
        {
            Console.WriteLine($"// {CpuWorkOn}: I/O wait overshoot p50 {Percentile(0.50):F2} ms, p99 {Percentile(0.99):F2} ms over {_overshootMs.Count} waits");
        }
    }

    [Benchmark]
    public async Task IoWhileCpuBusy()
    {
        for (var i = 0; i < IoOperations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await Task.Delay(1);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds - 1;
            lock (_overshootMs)
                _overshootMs.Add(ms);
        }
    }

    private double Percentile(double p) => _overshootMs[Math.Min(_overshootMs.Count - 1, (int)(p * _overshootMs.Count))];

    private static void Spin(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var sliceEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50;
            var x = 0.0;
            while (Stopwatch.GetTimestamp() < sliceEnd)
                x += Math.Sqrt(x + 1);
            GC.KeepAlive(x);
        }
    }
}
