namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>
/// Live managed memory while processing 1,000,000 items: AsyncExecutor.MapAsync (bounded by its window) against an
/// unbounded fan-out (one task per item, then Task.WhenAll), the pattern the executor replaces. Live memory is read with
/// a full collection at checkpoints (every 100,000 items consumed; for the fan-out, once every task exists), so
/// garbage not yet collected does not count.
/// </summary>
internal static class PeakMemory
{
    private const int Items = 1_000_000;
    private const int Checkpoint = 100_000;

    public static async Task RunAsync()
    {
        var (mapPeak, mapCount) = await MapAsync();
        var (fanOutPeak, fanOutCount) = await FanOutAsync();
        Console.WriteLine($"items: {Items:N0}");
        Console.WriteLine($"unbounded Task.WhenAll fan-out: live memory {Mb(fanOutPeak):F1} MB ({fanOutCount:N0} results)");
        Console.WriteLine($"AsyncExecutor.MapAsync (16 at once, window 32): peak live memory {mapPeak / 1024.0:F1} KB above its baseline at 10 checkpoints ({mapCount:N0} results)");
        Console.WriteLine($"ratio: {Math.Max(mapPeak, 0) / (double)fanOutPeak:P3} of the fan-out");
    }

    private static async Task<(long Peak, int Count)> MapAsync()
    {
        var baseline = LiveBytes();
        var peak = long.MinValue;
        var count = 0;
        await using var executor = new AsyncExecutor(new AsyncExecutorOptions { WorkerCount = 16 });
        await foreach (var _ in executor.MapAsync(Enumerable.Range(0, Items), (i, _) => new ValueTask<int>(WorkAsync(i, Task.CompletedTask)), CancellationToken.None))
        {
            if (++count % Checkpoint == 0)
                peak = Math.Max(peak, LiveBytes() - baseline);
        }

        return (peak, count);
    }

    private static async Task<(long Peak, int Count)> FanOutAsync()
    {
        var baseline = LiveBytes();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Every item's task exists at once (they all wait on the gate, as slow I/O would).
        var tasks = Enumerable.Range(0, Items).Select(i => WorkAsync(i, gate.Task)).ToList();
        var peak = LiveBytes() - baseline;
        gate.SetResult();
        return (peak, (await Task.WhenAll(tasks)).Length);
    }

    private static async Task<int> WorkAsync(int i, Task gate)
    {
        await gate;
        await Task.Yield();
        return i;
    }

    private static long LiveBytes() => GC.GetTotalMemory(forceFullCollection: true);

    private static double Mb(long bytes) => bytes / 1024.0 / 1024.0;
}
