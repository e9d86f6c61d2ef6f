using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Rules.Threads;

public class CONC020ComputeThreadTests
{
    private static DiagnosticResult Compute(int location, string reason) =>
        new DiagnosticResult(ConcurrencyAnalyzers.Rules.Threads.CONC020ComputeThreadAnalyzer.Descriptor).WithLocation(location).WithArguments(reason);

    private static DiagnosticResult Waiting(int location, string reason) =>
        new DiagnosticResult(ConcurrencyAnalyzers.Rules.Threads.CONC021WaitingThreadAnalyzer.Descriptor).WithLocation(location).WithArguments(reason);

    // A thread whose delegate loops and computes (a lambda, a method group of the project), one whose delegate makes a
    // CPU-heavy call, and a thread per item of a loop: CONC020. A thread that polls with a sleep, waits on an event or
    // reads synchronously in a loop: CONC021.
    [Fact]
    public Task ThreadsForComputeOrForWaiting_Trigger() => ThreadVerifier.VerifyAsync(
        /* lang=c#-test */ """
        using System.Security.Cryptography;

        class Workers
        {
            private volatile bool _stop;
            private readonly ManualResetEventSlim _signal = new();

            void Start(int[] data, string[] files, string path, Stream input)
            {
                var sum = {|#0:new Thread(() => { long s = 0; foreach (var x in data) s += x * x; Console.WriteLine(s); })|};
                sum.Start();
                {|#6:new Thread(Crunch)|}.Start();
                {|#1:new Thread(() => Rfc2898DeriveBytes.Pbkdf2("p", new byte[16], 600_000, HashAlgorithmName.SHA256, 32))|}.Start();
                foreach (var file in files)
                    {|#2:new Thread(() => Console.WriteLine(file.Length))|}.Start();
                {|#3:new Thread(() => { while (!_stop) { Thread.Sleep(1000); if (File.Exists(path)) break; } })|}.Start();
                {|#4:new Thread(() => { while (!_stop) { _signal.Wait(); _signal.Reset(); } })|}.Start();
                {|#5:new Thread(() => { var buffer = new byte[4096]; while (input.Read(buffer, 0, buffer.Length) > 0) { } })|}.Start();
            }

            void Crunch()
            {
                double acc = 0;
                for (var i = 1; i < 1_000_000; i++)
                    acc += Math.Sqrt(i);
                Console.WriteLine(acc);
            }
        }
        """,
        Compute(0, "it loops and computes, and never waits"),
        Compute(1, "it calls 'Rfc2898DeriveBytes.Pbkdf2' (PBKDF2 key derivation)"),
        Compute(2, "a thread per item of the loop it is created in"),
        Waiting(3, "a loop that sleeps ('Thread.Sleep')"),
        Waiting(4, "a loop that waits ('ManualResetEventSlim.Wait')"),
        Waiting(5, "a loop that does synchronous I/O ('Stream.Read')"),
        Compute(6, "it loops and computes, and never waits"));

    // Threads with a job only a dedicated thread does, and threads that do neither: an STA thread, a custom stack size,
    // a BlockingCollection consumer, a pool worker parked on a semaphore between items of its queue, a pump whose
    // helper waits for the next item (TakeNext), a thread that blocks once (a connect), one that only runs a call
    // whose body it cannot see, and CPU-bound work already on the pool.
    [Fact]
    public Task DedicatedJobsAndOtherThreads_DoNotTrigger() => ThreadVerifier.VerifyAsync(
        /* lang=c#-test */ """
        using System.Collections.Concurrent;

        class C
        {
            private readonly BlockingCollection<string> _queue = new();
            private readonly ConcurrentQueue<Action> _work = new();
            private readonly SemaphoreSlim _available = new(0);

            private readonly object _gate = new();
            private readonly Queue<string> _pending = new();

            // A pump's helper: waits on a monitor until an item is there (the thread above forwards each one).
            string TakeNext()
            {
                lock (_gate)
                {
                    while (_pending.Count == 0)
                        Monitor.Wait(_gate);
                    return _pending.Dequeue();
                }
            }

            void Forward(string item) => Console.WriteLine(item);

            // A worker of a pool: it parks until an item is queued, then runs it.
            void Worker()
            {
                while (true)
                {
                    _available.Wait();
                    if (_work.TryDequeue(out var item))
                        item();
                }
            }

            void Start(int[] data, Action work, System.Net.Sockets.TcpClient client)
            {
                var sta = new Thread(() => { foreach (var x in data) Console.WriteLine(x * x); });
                sta.SetApartmentState(ApartmentState.STA);
                sta.Start();
                new Thread(() => { for (var i = 0; i < 1_000_000; i++) Console.WriteLine(i * i); }, maxStackSize: 16 * 1024 * 1024).Start();
                new Thread(() => { foreach (var item in _queue.GetConsumingEnumerable()) Console.WriteLine(item.Length * 2); }).Start();
                new Thread(Worker).Start();
                new Thread(() => { while (true) Forward(TakeNext()); }).Start();
                new Thread(() => client.Connect("localhost", 80)).Start();
                new Thread(() => work()).Start();
                Task.Run(() => { foreach (var x in data) Console.WriteLine(x * x); });
            }
        }
        """);

    // The shapes service code writes: a lambda that only calls a method of the project (its result stored or not) is
    // judged by that method; a thread per item is one even when its delegate's body is not in the project; a
    // hand-written wait/notify queue (Monitor.Wait in a lock) is a consumer, not a waiting loop.
    [Fact]
    public Task ForwardingLambdasAndThreadsPerItemOfAnyDelegate() => ThreadVerifier.VerifyAsync(
        /* lang=c#-test */ """
        interface IJob { void Run(); }

        class Service
        {
            private readonly LinkedList<string> _queue = new();
            private bool _closed;
            private List<int>? _decoded;
            private Thread? _thread;

            void Start(byte[] payload, string[] lines, IJob[] jobs, CancellationToken token)
            {
                _thread = {|#0:new Thread(() => _decoded = Decode(payload))|};
                _thread.Start();
                uint crc = 0;
                var worker = {|#1:new Thread(() => crc = Checksum(payload)) { Name = "crc" }|};
                worker.Start();
                worker.Join();
                {|#2:new Thread(() => Poll(token)) { IsBackground = true }|}.Start();
                foreach (var job in jobs)
                    {|#3:new Thread(job.Run)|}.Start();
                new Thread(() => Consume()) { IsBackground = true }.Start();
                {|#4:new Thread(Upload) { IsBackground = true }|}.Start();
                new Thread(() => Once()).Start();
                new Thread(() => Console.WriteLine(crc)).Start();
            }

            static List<int> Decode(byte[] payload)
            {
                var values = new List<int>();
                for (var i = 0; i + 4 <= payload.Length; i += 4)
                    values.Add(BitConverter.ToInt32(payload, i));
                return values;
            }

            static uint Checksum(byte[] data)
            {
                uint c = 0xFFFFFFFF;
                foreach (var b in data)
                    c = (c >> 8) ^ (c & 0xFF ^ b);
                return ~c;
            }

            static void Poll(CancellationToken token)
            {
                while (!token.IsCancellationRequested)
                {
                    Console.WriteLine(File.Exists("/tmp/flag"));
                    Thread.Sleep(5000);
                }
            }

            static void Once() => Console.WriteLine(Environment.ProcessorCount);

            // Drains a queue, then sleeps: it polls the queue, it does not wait for work.
            private readonly System.Collections.Concurrent.ConcurrentQueue<string> _outbox = new();

            void Upload()
            {
                while (!_closed)
                {
                    while (_outbox.TryDequeue(out var line))
                        Console.WriteLine(line);
                    Thread.Sleep(10_000);
                }
            }

            void Consume()
            {
                while (true)
                {
                    string item;
                    lock (_queue)
                    {
                        while (_queue.Count == 0)
                        {
                            if (_closed)
                                return;
                            Monitor.Wait(_queue);
                        }

                        item = _queue.First!.Value;
                        _queue.RemoveFirst();
                    }

                    Console.WriteLine(item);
                }
            }
        }
        """,
        Compute(0, "it loops and computes, and never waits").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Compute(1, "it loops and computes, and never waits").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Waiting(2, "a loop that sleeps ('Thread.Sleep')").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Compute(3, "a thread per item of the loop it is created in").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Waiting(4, "a loop that sleeps ('Thread.Sleep')").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
}

/// <summary>Runs CONC020 and CONC021 together: each thread gets at most one verdict.</summary>
internal static class ThreadVerifier
{
    public static async Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = ConcurrencyAnalyzers.Tests.Verifiers.TestSources.Usings + source };
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private sealed class Test : Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<ConcurrencyAnalyzers.Rules.Threads.CONC020ComputeThreadAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = ConcurrencyAnalyzers.Tests.Verifiers.Net10References.ReferenceAssemblies;
            TestState.AdditionalReferences.AddRange(ConcurrencyAnalyzers.Tests.Verifiers.Net10References.All);
            TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary;
        }

        protected override System.Collections.Generic.IEnumerable<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            new Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer[] { new ConcurrencyAnalyzers.Rules.Threads.CONC020ComputeThreadAnalyzer(), new ConcurrencyAnalyzers.Rules.Threads.CONC021WaitingThreadAnalyzer() };
    }
}
