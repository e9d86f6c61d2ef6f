using OrderService.Pricing;

namespace OrderService.Orders;

/// <summary>Prices and stores incoming orders.</summary>
public sealed class OrderProcessor(OrderRepository repository, PriceClient prices)
{
    public async Task<Order> PlaceAsync(Order order, CancellationToken cancellationToken)
    {
        var lookups = order.Lines.Select(l => prices.UnitPriceAsync(l.Sku, cancellationToken)).ToArray();
        Task.WaitAll(lookups);                                                  // CONC001
        var total = order.Lines.Zip(lookups, (line, price) => line.Quantity * price.Result).Sum();
        var priced = order with { Total = total };
        await repository.SaveAsync(priced, cancellationToken);
        return priced;
    }

    public async Task<decimal> TotalOfAsync(int id, CancellationToken cancellationToken)
    {
        var order = repository.FindAsync(id, cancellationToken).GetAwaiter().GetResult(); // CONC001
        await Task.Yield();
        return order?.Total ?? 0m;
    }

    public async Task<int> PlaceAllAsync(IEnumerable<Order> orders, CancellationToken cancellationToken)
    {
        var placing = orders.Select(o => PlaceAsync(o, cancellationToken)).ToList();
        await Task.WhenAll(placing);
        // Results of tasks awaited with WhenAll are known complete: no report here.
        return placing.Count(t => t.Result.Total > 0);
    }
}
