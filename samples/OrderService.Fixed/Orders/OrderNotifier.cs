namespace OrderService.Orders;

/// <summary>Tells customers about their orders: e-mails, a status refresh, and an audit export.</summary>
public sealed class OrderNotifier(string outbox)
{
    public event EventHandler<Order>? Notified;

    // Returns Task: callers can await it, and its exceptions reach them.
    public async Task RefreshStatus(Order order)
    {
        await Task.Delay(10);
        Notified?.Invoke(this, order);
    }

    // Each mail is written asynchronously, and the method returns when every mail is written.
    public async Task MailAllAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outbox);
        await Parallel.ForEachAsync(orders, cancellationToken, async (order, ct) =>
        {
            await File.WriteAllTextAsync(Path.Combine(outbox, $"{order.Id}.eml"), $"Dear {order.Customer}", cancellationToken);
        });
        await Task.Yield();
    }

    // Task.Run unwraps the async delegate's task: the await returns when the export ends.
    public async Task ExportAuditAsync(IReadOnlyList<Order> orders)
    {
        await Task.Run(async () =>
        {
            await File.WriteAllLinesAsync(Path.Combine(outbox, "audit.txt"), orders.Select(o => $"{o.Id} {o.Customer}"));
        });
    }

    // An event handler must be async void: quiet.
    public async void OnOrderPlaced(object? sender, EventArgs e) => await Task.Yield();
}
