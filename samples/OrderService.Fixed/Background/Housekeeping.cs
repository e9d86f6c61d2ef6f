using ConcurrencyAnalyzers.Runtime;

namespace OrderService.Background;

/// <summary>Keeps the search index fresh and watches the stock feed, each on a thread of its own.</summary>
public sealed class Housekeeping(string feedPath) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _feedWatcher;
    private int _feedChanges;

    public int FeedChanges => Volatile.Read(ref _feedChanges);

    // Builds a histogram of the order ids on the compute executor.
    public int[] BuildHistogram(int[] orderIds)
    {
        var buckets = new int[16];
        var builder = ThreadExecutor.Compute.RunAsync(() =>
        {
            foreach (var id in orderIds)
                buckets[(id * 2654435761u >> 28) & 15]++;
        });
        builder.Wait();
        return buckets;
    }

    // Polls the stock feed file for changes: an async loop that holds no thread while it waits.
    public void StartWatchingFeed()
    {
        _feedWatcher = Task.Run(async () =>
        {
            var last = DateTime.MinValue;
            while (!_stopping.IsCancellationRequested)
            {
                var stamp = File.Exists(feedPath) ? File.GetLastWriteTimeUtc(feedPath) : DateTime.MinValue;
                if (stamp != last)
                {
                    last = stamp;
                    Interlocked.Increment(ref _feedChanges);
                }

                await Task.Delay(TimeSpan.FromSeconds(5), _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        });
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _feedWatcher?.Wait(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }
}
