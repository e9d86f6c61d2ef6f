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
