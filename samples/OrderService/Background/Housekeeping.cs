namespace OrderService.Background;

/// <summary>Keeps the search index fresh and watches the stock feed, each on a thread of its own.</summary>
public sealed class Housekeeping(string feedPath) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _feedWatcher;
    private int _feedChanges;

    public int FeedChanges => Volatile.Read(ref _feedChanges);

    // Builds a histogram of the order ids on a thread that only computes.
    public int[] BuildHistogram(int[] orderIds)
    {
        var buckets = new int[16];
        var builder = new Thread(() =>                                           // CONC020
        {
            foreach (var id in orderIds)
                buckets[(id * 2654435761u >> 28) & 15]++;
        });
        builder.IsBackground = true;
        builder.Start();
        builder.Join();
        return buckets;
    }

    // Polls the stock feed file for changes: the thread sleeps nearly all of its life.
    public void StartWatchingFeed()
    {
        _feedWatcher = new Thread(() =>                                          // CONC021
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

                Thread.Sleep(TimeSpan.FromSeconds(5));
            }
        }) { IsBackground = true, Name = "feed-watcher" };
        _feedWatcher.Start();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _feedWatcher?.Join(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }
}
