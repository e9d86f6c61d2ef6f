using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Threads.CONC021WaitingThreadAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Threads.CONC021WaitingThreadCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Threads;

public class CONC021WaitingThreadFixTests
{
    private const string Sleeps = "a loop that sleeps ('Thread.Sleep')";

    // A poller in a field whose loop checks a CancellationTokenSource: Task.Run(async () => …), the sleep a delay that
    // the same token ends early without throwing (the loop's check ends the loop), Join → Wait in Dispose. A start
    // method polling a volatile flag becomes async Task (the delay keeps its plain form: there is no token to end it).
    [Fact]
    public Task PollingThreads_FixIsAnAsyncLoopOnTaskRun() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class StatusPoller : IDisposable
        {
            private readonly CancellationTokenSource _cts = new();
            private volatile bool _stopped;
            private Thread? _poller;
            private Thread? _heartbeat;

            public void Start()
            {
                _poller = {|#0:new Thread(() =>
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        Console.WriteLine("poll");
                        Thread.Sleep(5000);
                    }
                })|};
                _poller.IsBackground = true;
                _poller.Start();

                _heartbeat = {|#1:new Thread(Beat) { IsBackground = true, Name = "heartbeat" }|};
                _heartbeat.Start();
            }

            private void Beat()
            {
                while (!_stopped)
                {
                    Console.WriteLine("beat");
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                }
            }

            public void Dispose()
            {
                _stopped = true;
                _cts.Cancel();
                _poller?.Join();
                _heartbeat?.Join(TimeSpan.FromSeconds(2));
            }
        }
        """,
        /* lang=c#-test */ """
        class StatusPoller : IDisposable
        {
            private readonly CancellationTokenSource _cts = new();
            private volatile bool _stopped;
            private Task? _poller;
            private Task? _heartbeat;

            public void Start()
            {
                _poller = Task.Run(async () =>
                {
                    while (!_cts.IsCancellationRequested)
                    {
                        Console.WriteLine("poll");
                        await Task.Delay(5000, _cts.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }
                });

                _heartbeat = Task.Run(Beat);
            }

            private async Task Beat()
            {
                while (!_stopped)
                {
                    Console.WriteLine("beat");
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }

            public void Dispose()
            {
                _stopped = true;
                _cts.Cancel();
                _poller?.Wait();
                _heartbeat?.Wait(TimeSpan.FromSeconds(2));
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments(Sleeps),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments(Sleeps));

    // A reader thread doing synchronous reads in a loop: the reads become their async twins (no token added: a
    // cancelled read would fault the task where the thread ended quietly). A parameter token checked by the loop ends
    // the delay. A health checker blocking on .Result and .Wait() awaits the tasks.
    [Fact]
    public Task ReadingAndTokenPollingThreads_FixAwaitsTheTwins() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Tail
        {
            public void Follow(Stream input, CancellationToken token)
            {
                var reader = {|#0:new Thread(() =>
                {
                    var buffer = new byte[4096];
                    int read;
                    while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                        Console.WriteLine(read);
                })|};
                reader.IsBackground = true;
                reader.Start();

                var watcher = {|#1:new Thread(() =>
                {
                    while (!token.IsCancellationRequested)
                        Thread.Sleep(250);
                })|};
                watcher.Start();
                watcher.Join();

                var checker = {|#2:new Thread(() =>
                {
                    using var http = new System.Net.Http.HttpClient();
                    while (true)
                    {
                        var status = http.GetStringAsync("http://localhost/health").Result;
                        if (status == "down")
                            break;
                        Task.Delay(1000).Wait();
                    }
                })|};
                checker.IsBackground = true;
                checker.Start();
            }
        }
        """,
        /* lang=c#-test */ """
        class Tail
        {
            public void Follow(Stream input, CancellationToken token)
            {
                var reader = Task.Run(async () =>
                {
                    var buffer = new byte[4096];
                    int read;
                    while ((read = await input.ReadAsync(buffer, 0, buffer.Length)) > 0)
                        Console.WriteLine(read);
                });

                var watcher = Task.Run(async () =>
                {
                    while (!token.IsCancellationRequested)
                        await Task.Delay(250, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                });
                watcher.Wait();

                var checker = Task.Run(async () =>
                {
                    using var http = new System.Net.Http.HttpClient();
                    while (true)
                    {
                        var status = await http.GetStringAsync("http://localhost/health");
                        if (status == "down")
                            break;
                        await Task.Delay(1000);
                    }
                });
            }
        }
        """,
        editorConfig: null,
        equivalenceKey: null,
        fixedHasUsings: false,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("a loop that does synchronous I/O ('Stream.Read')"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments(Sleeps),
        VerifyCS.Diagnostic().WithLocation(2).WithArguments("a loop that waits ('Task<T>.Result')"));

    // What an async loop cannot keep: a blocking helper in the loop (it would block a pool thread), a wait without an
    // awaitable form (Monitor.Wait), a join with a timeout in async code, a start method used elsewhere too, a wait
    // whose AggregateException is caught (await would throw the inner exception past the catch).
    // Reported, no fix.
    [Fact]
    public Task WaitingThreadsAnAsyncLoopCannotKeep_Trigger_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            private readonly object _gate = new();
            private volatile bool _stop;

            async Task M()
            {
                var a = {|#0:new Thread(() => { while (!_stop) Pause(); })|};
                a.IsBackground = true;
                a.Start();

                var b = {|#1:new Thread(() => { lock (_gate) { while (!_stop) Monitor.Wait(_gate, 1000); } })|};
                b.IsBackground = true;
                b.Start();

                var c = {|#2:new Thread(() => { while (!_stop) Thread.Sleep(100); })|};
                c.Start();
                await Task.Yield();
                c.Join(1000);

                var f = {|#4:new Thread(() =>
                {
                    while (!_stop)
                    {
                        try { Task.Delay(100).Wait(); }
                        catch (AggregateException) { break; }
                    }
                })|};
                f.IsBackground = true;
                f.Start();

                var d = {|#3:new Thread(Loop)|};
                d.IsBackground = true;
                d.Start();
                Loop();
            }

            private void Pause() => Thread.Sleep(100);

            private void Loop()
            {
                while (!_stop)
                    Thread.Sleep(100);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("a loop that blocks (Pause → Thread.Sleep (sleep))"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("a loop that waits ('Monitor.Wait')"),
        VerifyCS.Diagnostic().WithLocation(2).WithArguments(Sleeps),
        VerifyCS.Diagnostic().WithLocation(3).WithArguments(Sleeps),
        VerifyCS.Diagnostic().WithLocation(4).WithArguments("a loop that waits ('Task.Wait()')"));
}
