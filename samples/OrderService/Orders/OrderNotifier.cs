namespace OrderService.Orders;

/// <summary>Tells customers about their orders: e-mails, a status refresh, and an audit export.</summary>
public sealed class OrderNotifier(string outbox)
{
    public event EventHandler<Order>? Notified;

    // Fire-and-forget by accident: nobody can await it, and an exception after the await ends the process.
    public async void RefreshStatus(Order order)                                    // CONC030
    {
        await Task.Delay(10);
        Notified?.Invoke(this, order);
    }

    // Each mail is written asynchronously, but ForEach's Action makes the lambda async void: the method returns
    // before any mail is written.
    public async Task MailAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outbox);
        Parallel.ForEach(orders, async order =>                                     // CONC031
        {
            await File.WriteAllTextAsync(Path.Combine(outbox, $"{order.Id}.eml"), $"Dear {order.Customer}", cancellationToken);
        });
        await Task.Yield();
    }

    // StartNew does not unwrap the async delegate's task: the await returns at the export's first await.
    public async Task ExportAuditAsync(IReadOnlyList<Order> orders)
    {
        await Task.Factory.StartNew(async () =>                                      // CONC032
        {
            await File.WriteAllLinesAsync(Path.Combine(outbox, "audit.txt"), orders.Select(o => $"{o.Id} {o.Customer}"));
        });
    }

    // An event handler must be async void: quiet.
    public async void OnOrderPlaced(object? sender, EventArgs e) => await Task.Yield();
}
