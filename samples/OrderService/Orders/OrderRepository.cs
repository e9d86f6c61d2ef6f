using System.Text.Json;

namespace OrderService.Orders;

/// <summary>Stores orders as JSON files in a folder.</summary>
public sealed class OrderRepository(string folder)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private string PathOf(int id) => Path.Combine(folder, $"order-{id}.json");

    public async Task<Order?> FindAsync(int id, CancellationToken cancellationToken)
    {
        var path = PathOf(id);
        if (!File.Exists(path))
            return null;
        var json = File.ReadAllText(path);                                     // CONC003
        await Task.Yield();
        return JsonSerializer.Deserialize<Order>(json);
    }

    public async Task SaveAsync(Order order, CancellationToken cancellationToken)
    {
        _writeGate.Wait();                                                     // CONC004
        try
        {
            using var stream = new FileStream(PathOf(order.Id), FileMode.Create); // CONC003 (await using)
            await JsonSerializer.SerializeAsync(stream, order, cancellationToken: cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<int> CatalogSizeAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var catalog = LoadCatalog();                                             // CONC005 (LoadCatalog → ReadCatalogFile → File.ReadAllText)
        var index = await Task.Run(() => File.ReadAllText(Path.Combine(folder, "index.txt"))); // CONC022
        return catalog.Count + index.Length;
    }

    // A synchronous helper chain: fine in synchronous code, a block when called from async code.
    private List<string> LoadCatalog() => ParseCatalog(ReadCatalogFile());

    private static List<string> ParseCatalog(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private string ReadCatalogFile() => File.Exists(Path.Combine(folder, "catalog.txt")) ? File.ReadAllText(Path.Combine(folder, "catalog.txt")) : string.Empty;

    public async Task<int> CountAsync()
    {
        await Task.Yield();
        // Correct code the rules leave alone: no I/O, and a read-only stream.
        using var buffer = new MemoryStream();
        buffer.Write(new byte[] { 1, 2, 3 });
        using var listing = File.OpenRead(Path.Combine(folder, "index.txt"));
        Console.WriteLine($"{buffer.Length} bytes buffered, {listing.Length} bytes of index");
        return Directory.GetFiles(folder, "order-*.json").Length;
    }
}
