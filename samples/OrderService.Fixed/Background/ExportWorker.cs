using ConcurrencyAnalyzers.Runtime;
using OrderService.Orders;

namespace OrderService.Background;

/// <summary>Periodically exports the order count to a report file once the app says it is ready.</summary>
public sealed class ExportWorker(OrderRepository repository, string reportPath)
{
    private readonly ManualResetEvent _ready = new(false);

    public void SignalReady() => _ready.Set();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _ready.WaitOneAsync(cancellationToken);  // fixed: CONC004
        while (!cancellationToken.IsCancellationRequested)
        {
            var count = await repository.CountAsync();
            await File.WriteAllTextAsync(reportPath, $"{DateTime.UtcNow:O} {count}", cancellationToken);  // fixed: CONC003
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);  // fixed: CONC002
        }
    }

    // Archiving runs off the async path, but on the shared pool it would block a pool thread while it waits.
    public Task ArchiveAsync(string archivePath, CancellationToken cancellationToken) => ThreadExecutor.Blocking.RunAsync(() =>
    {
        if (File.Exists(reportPath))
            File.Copy(reportPath, archivePath, overwrite: true);
        Thread.Sleep(TimeSpan.FromMilliseconds(100));
    }, cancellationToken);  // fixed: CONC023 (Task.Run → the blocking executor)

    // Copies the report to each target in parallel: each body writes synchronously on a pool thread.
    public async Task CopyToAsync(IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var count = await repository.CountAsync();
        await Parallel.ForEachAsync(targets, cancellationToken, async (target, ct) =>
        {
            await File.WriteAllTextAsync(target, $"{count} orders", ct);
        });  // fixed: CONC023 (Parallel.ForEach → Parallel.ForEachAsync)
    }

    // Synchronous code may block: it is not on an async path.
    public void RunOnce()
    {
        _ready.WaitOne();
        File.WriteAllText(reportPath, "once");
    }
}
