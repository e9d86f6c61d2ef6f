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

    // Synchronous code may block: it is not on an async path.
    public void RunOnce()
    {
        _ready.WaitOne();
        File.WriteAllText(reportPath, "once");
    }
}
