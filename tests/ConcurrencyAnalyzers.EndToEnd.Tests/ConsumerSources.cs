namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>Realistic consumer code: one finding of each blocking and thread-pool rule, marked with the line it must be reported on.</summary>
public static class ConsumerSources
{
    public const string ServiceFile = "Service.cs";

    public const string Service = """
        namespace Consumer;

        public sealed class Service
        {
            private readonly SemaphoreSlim _gate = new(1);
            private readonly ManualResetEvent _ready = new(true);

            public async Task<int> RunAsync(string path, Task<int> pending, CancellationToken cancellationToken)
            {
                var value = pending.Result; // expect CONC001
                Thread.Sleep(10); // expect CONC002
                var text = File.ReadAllText(path); // expect CONC003
                _gate.Wait(); // expect CONC004
                try
                {
                    _ready.WaitOne(); // expect CONC004
                    var settings = LoadSettings(path); // expect CONC005
                    var copy = await Task.Run(() => File.ReadAllText(path)); // expect CONC022
                    await Task.Run(() =>
                    {
                        Thread.Sleep(1); // expect CONC023
                    });
                    Parallel.ForEach(new[] { path }, p =>
                    {
                        var bytes = File.ReadAllBytes(p); // expect CONC023
                    });
                    long checksum = 0;
                    for (var i = 0; i < 1_000_000; i++) // expect CONC010
                        checksum += i % 7;
                    var key = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(path, new byte[16], 100_000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32); // expect CONC011
                    return value + text.Length + settings - copy.Length;
                }
                finally
                {
                    _gate.Release();
                }
            }

            // Correct code: nothing may be reported below.
            public async Task<int> QuietAsync(Task<int> pending)
            {
                await pending;
                using var buffer = new MemoryStream();
                buffer.Write(new byte[] { 1 });
                Console.WriteLine(buffer.Length);
                return pending.Result;
            }

            // Every known-complete shape, as SDK 10's compiler binds it (params spans, collection expressions, spreads).
            public async Task<int> CompletedShapesAsync(Task<int> a, Task<int> b, List<Task<int>> tasks, Task<int>[] array)
            {
                await Task.WhenAll(a, b);
                var sum = a.Result + b.Result;
                await Task.WhenAll([a, b]);
                await Task.WhenAll([.. tasks, a]);
                sum += tasks[0].Result + tasks.Sum(t => t.Result);
                foreach (var t in tasks)
                    sum += t.Result;
                await Task.WhenAll(a, b).ConfigureAwait(false);
                var winner = await Task.WhenAny(a, b).ConfigureAwait(false);
                sum += winner.Result;
                sum += tasks.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).Sum();
                sum += tasks.First(t => t.IsCompleted).Result;
                sum += a is { IsCompleted: true } ? a.Result : 0;
                if (b is { Status: TaskStatus.RanToCompletion })
                    sum += b.Result;
                if (array[0].IsCompleted)
                    sum += array[0].Result;
                sum += await a.ContinueWith(done => done.Result);
                return sum + Task.FromResult(1).Result;
            }

            public int Sync(Task<int> pending) => pending.Result;

            public async void Refresh() => await Task.Delay(1); // expect CONC030

            private async void OnChanged(object? sender, EventArgs e) => await Task.Delay(1);

            public async Task SendAllAsync(List<string> names)
            {
                names.ForEach(async name => await Task.Delay(name.Length)); // expect CONC031
                await Task.Factory.StartNew(async () => await Task.Delay(1)); // expect CONC032
                await Task.Run(async () => await Task.Delay(1));
                await Task.Factory.StartNew(async () => await Task.Delay(1)).Unwrap();
            }

            // Work that crosses to a worker process as it should (a static lambda, an int): CONC040 stays quiet.
            public Task<int> RemoteAsync(ConcurrencyAnalyzers.Runtime.ProcessExecutor pool) => pool.RunAsync(static (int x) => x * 2, 21);

            public long Squares()
            {
                long squares = 0;
                var worker = new Thread(() => { for (var n = 0; n < 1000; n++) squares += n * n; }); // expect CONC020
                worker.IsBackground = true;
                worker.Start();
                worker.Join();
                return squares;
            }

            public void StartPolling(CancellationToken token)
            {
                var poller = new Thread(() => // expect CONC021
                {
                    while (!token.IsCancellationRequested)
                        Thread.Sleep(50);
                });
                poller.IsBackground = true;
                poller.Start();
            }

            private static int LoadSettings(string path) => ReadSettings(path).Length;

            private static string ReadSettings(string path) => File.ReadAllText(path);
        }
        """;

    public const string ProgramFile = "Program.cs";

    public const string Program = """
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(path, "hello");
        var result = await new Consumer.Service().RunAsync(path, Task.FromResult(1), CancellationToken.None);
        Console.WriteLine($"result={result}");
        // Squares waits for its worker: from async code it runs on the blocking executor, where waiting is its job.
        Console.WriteLine($"squares={await ConcurrencyAnalyzers.Runtime.ThreadExecutor.Blocking.RunAsync(() => new Consumer.Service().Squares())}");
        """;
}
