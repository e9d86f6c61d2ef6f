using OrderService.Orders;

namespace OrderService.Background;

/// <summary>Periodically exports the order count to a report file once the app says it is ready.</summary>
public sealed class ExportWorker(OrderRepository repository, string reportPath)
{
    private readonly ManualResetEvent _ready = new(false);

    public void SignalReady() => _ready.Set();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ready.WaitOne();                                                       // CONC004
        while (!cancellationToken.IsCancellationRequested)
        {
            var count = await repository.CountAsync();
            File.WriteAllText(reportPath, $"{DateTime.UtcNow:O} {count}");      // CONC003
            Thread.Sleep(TimeSpan.FromSeconds(30));                             // CONC002
        }
    }

    // Archiving runs off the async path, but on the shared pool it would block a pool thread while it waits.
    public Task ArchiveAsync(string archivePath, CancellationToken cancellationToken) => Task.Run(() =>
    {
        if (File.Exists(reportPath))
            File.Copy(reportPath, archivePath, overwrite: true);
        Thread.Sleep(TimeSpan.FromMilliseconds(100));                                    // CONC023
    }, cancellationToken);

    // Copies the report to each target in parallel: each body writes synchronously on a pool thread.
    public async Task CopyToAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var count = await repository.CountAsync();
        Parallel.ForEach(targets, target =>
        {
            File.WriteAllText(target, $"{count} orders");                       // CONC023
        });
    }

    // Synchronous code may block: it is not on an async path.
    public void RunOnce()
    {
        _ready.WaitOne();
        File.WriteAllText(reportPath, "once");
    }
}
