using System.Security.Cryptography;

namespace OrderService.Pricing;

/// <summary>Prices a quote on a volume curve and signs it.</summary>
public sealed class QuoteSigner(PriceClient prices)
{
    public async Task<(decimal Price, byte[] Signature)> QuoteAsync(string sku, int quantity, byte[] secret, CancellationToken cancellationToken)
    {
        var unit = await prices.UnitPriceAsync(sku, cancellationToken);
        // The volume curve is recomputed on every quote: a million steps on the async path.
        double curve = 0;
        for (var step = 1; step <= 1_000_000; step++)                                                   // CONC010
            curve += Math.Log(step) / step;
        var price = unit * quantity * (decimal)(1 - curve / 1_000);
        var signature = Rfc2898DeriveBytes.Pbkdf2(sku, secret, 200_000, HashAlgorithmName.SHA256, 32);  // CONC011
        return (price, signature);
    }
}
