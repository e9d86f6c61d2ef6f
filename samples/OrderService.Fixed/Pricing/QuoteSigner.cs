using System.Security.Cryptography;
using ConcurrencyAnalyzers.Runtime;

namespace OrderService.Pricing;

/// <summary>Prices a quote on a volume curve and signs it.</summary>
public sealed class QuoteSigner(PriceClient prices)
{
    public async Task<(decimal Price, byte[] Signature)> QuoteAsync(string sku, int quantity, byte[] secret, CancellationToken cancellationToken)
    {
        var unit = await prices.UnitPriceAsync(sku, cancellationToken);
        // The volume curve is recomputed on every quote: a million steps, now on the compute executor.
        double curve = 0;
        await ThreadExecutor.Compute.RunAsync(() =>
        {
            for (var step = 1; step <= 1_000_000; step++)
                curve += Math.Log(step) / step;
        }, cancellationToken);  // fixed: CONC010
        var price = unit * quantity * (decimal)(1 - curve / 1_000);
        var signature = await ThreadExecutor.Compute.RunAsync(() => Rfc2898DeriveBytes.Pbkdf2(sku, secret, 200_000, HashAlgorithmName.SHA256, 32), cancellationToken);  // fixed: CONC011
        return (price, signature);
    }
}
