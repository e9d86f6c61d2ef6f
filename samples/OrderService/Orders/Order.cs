namespace OrderService.Orders;

public sealed record OrderLine(string Sku, int Quantity);

public sealed record Order(int Id, string Customer, IReadOnlyList<OrderLine> Lines)
{
    public decimal Total { get; init; }
}
