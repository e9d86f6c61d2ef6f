using ConcurrencyAnalyzers.Runtime;
using OrderService.Orders;

namespace OrderService.Pricing;

/// <summary>Renders invoices in worker processes: CPU-heavy, and a crash there fails one invoice, not the service.</summary>
public sealed class InvoiceRenderer(ProcessExecutor pool)
{
    // What crosses to the worker is a static lambda and a record: CONC040 has nothing to say. A lambda that read
    // 'pool' or a field, or an argument whose get-only member nothing can set, would be an error here at compile time.
    public Task<string> RenderAsync(Order order, CancellationToken cancellationToken) =>
        pool.RunAsync(static (InvoiceRequest request) => Render(request), new InvoiceRequest(order.Id, order.Customer, order.Total), cancellationToken);

    private static string Render(InvoiceRequest request) => $"Invoice {request.OrderId} for {request.Customer}: {request.Total:0.00}";
}

/// <summary>Everything the worker needs, as a record System.Text.Json round-trips.</summary>
public sealed record InvoiceRequest(int OrderId, string Customer, decimal Total);
