namespace OrderService.Pricing;

/// <summary>Asks the pricing service for unit prices.</summary>
public sealed class PriceClient(HttpClient http)
{
    private Task<decimal>? _discount;

    public async Task<decimal> UnitPriceAsync(string sku, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var text = http.GetStringAsync($"/prices/{sku}", cancellationToken).Result;   // CONC001
                return decimal.Parse(text);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                Thread.Sleep(200 * attempt);                                                 // CONC002
            }
        }
    }

    public Task<decimal> DiscountAsync()
    {
        _discount ??= LoadDiscountAsync();
        // A fast path on a completed task is not blocking: no report here.
        if (_discount.IsCompletedSuccessfully)
            return Task.FromResult(_discount.Result);
        return _discount;
    }

    private async Task<decimal> LoadDiscountAsync()
    {
        var text = await http.GetStringAsync("/discount");
        return decimal.Parse(text);
    }
}
