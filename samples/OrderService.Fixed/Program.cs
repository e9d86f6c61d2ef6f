using OrderService.Background;
using OrderService.Orders;
using OrderService.Pricing;

var folder = Path.Combine(Path.GetTempPath(), "order-service-sample");
Directory.CreateDirectory(folder);
await File.WriteAllTextAsync(Path.Combine(folder, "index.txt"), "orders");

var repository = new OrderRepository(folder);
var prices = new PriceClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") });
var processor = new OrderProcessor(repository, prices);
var worker = new ExportWorker(repository, Path.Combine(folder, "report.txt"));

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
worker.SignalReady();
var export = worker.RunAsync(stop.Token);
Console.WriteLine($"orders on disk: {await repository.CountAsync()}");
Console.WriteLine($"total of order 1: {await processor.TotalOfAsync(1, stop.Token)}");
await stop.CancelAsync();
try { await export; } catch (OperationCanceledException) { }
