using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.ThreadPool.CONC023PoolBlockingAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.ThreadPool.CONC023PoolBlockingCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.ThreadPool;

public class CONC023PoolBlockingTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Blocks(int location, string what, string queue, string reason) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(what, queue, reason);

    // Every blocking kind, and a helper that blocks, in one Task.Run: one fix moves the whole delegate to the blocking
    // executor (Fix All: one edit however many calls block in it).
    [Fact]
    public Task BlockingInsideTaskRun_Triggers_FixRunsItOnTheBlockingExecutor() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class C
        {
            Task M(Task<int> pending, SemaphoreSlim gate, string path, CancellationToken ct) => Task.Run(() =>
            {
                var n = {|#0:pending.Result|};
                {|#1:Thread.Sleep(100)|};
                {|#2:gate.Wait()|};
                var text = {|#3:File.ReadAllText(path)|};
                {|#4:Warm()|};
            }, ct);

            static void Warm() => Thread.Sleep(10);
        }
        """,
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class C
        {
            Task M(Task<int> pending, SemaphoreSlim gate, string path, CancellationToken ct) => ThreadExecutor.Blocking.RunAsync(() =>
            {
                var n = pending.Result;
                Thread.Sleep(100);
                gate.Wait();
                var text = File.ReadAllText(path);
                Warm();
            }, ct);

            static void Warm() => Thread.Sleep(10);
        }
        """,
        Blocks(0, "Task<T>.Result", "Task.Run", "synchronous wait"),
        Blocks(1, "Thread.Sleep", "Task.Run", "sleep"),
        Blocks(2, "SemaphoreSlim.Wait", "Task.Run", "blocking wait"),
        Blocks(3, "File.ReadAllText", "Task.Run", "synchronous I/O"),
        Blocks(4, "Warm()", "Task.Run", "Warm → Thread.Sleep (sleep)"));

    // The other pool queues: reported, no fix (a timer callback has no drop-in executor form; a Parallel body in a
    // method that cannot become async cannot be awaited).
    [Fact]
    public Task BlockingInOtherPoolQueues_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            private Timer? _timer;

            void M(IEnumerable<string> paths, ManualResetEventSlim ready)
            {
                Parallel.ForEach(paths, p => {|#0:File.ReadAllText(p)|});
                ThreadPool.QueueUserWorkItem(_ => {|#1:ready.Wait()|});
                _timer = new Timer(_ => {|#2:Thread.Sleep(5)|}, null, 0, 1000);
                Task.Factory.StartNew(() => {|#3:Thread.Sleep(5)|});
                Parallel.Invoke(() => paths.ToList().ForEach(p => {|#4:File.WriteAllText(p, "")|}));
            }
        }
        """,
        Blocks(0, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"),
        Blocks(1, "ManualResetEventSlim.Wait", "ThreadPool.QueueUserWorkItem", "blocking wait"),
        Blocks(2, "Thread.Sleep", "a Timer callback", "sleep"),
        Blocks(3, "Thread.Sleep", "Task.Factory.StartNew", "sleep"),
        Blocks(4, "File.WriteAllText", "Parallel.Invoke", "synchronous I/O"));

    // Not pool-blocking: async lambdas (async context: the other rules), a thread of its own (new Thread, LongRunning),
    // deferred delegates, CPU work, the precision rules, and Task.Run over one sync I/O call (CONC022's).
    [Fact]
    public Task NotBlockingThePool_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(string path, SemaphoreSlim gate, int[] values, CancellationToken ct)
            {
                await Task.Run(async () => { await Task.Delay(10); });
                new Thread(() => Thread.Sleep(100)).Start();
                await Task.Factory.StartNew(() => Thread.Sleep(100), TaskCreationOptions.LongRunning);
                Func<string> later = () => File.ReadAllText(path);
                await Task.Run(() => values.Sum());
                await Task.Run(() => { if (gate.Wait(0)) gate.Release(); Thread.Sleep(0); });
                await Task.Run(() => File.ReadAllText(path));
                await Task.Run(() => { var done = Task.FromResult(1); return done.Result; });
            }
        }
        """);

    // Without the runtime library (or with offload_target = bcl) there is no executor to move to: reported, no fix —
    // except the one-call Task.Run the offloading fixes write there (reporting it would undo the fix).
    [Fact]
    public Task BclTarget_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task M() => Task.Run(() => { {|#0:Thread.Sleep(100)|}; Thread.Yield(); });

            async Task<int> Offloaded(CancellationToken ct) => await Task.Run(() => Load(), ct);

            static int Load() { Thread.Sleep(5); return 1; }
        }
        """,
        "concurrency_analyzers.offload_target = bcl",
        Blocks(0, "Thread.Sleep", "Task.Run", "sleep"));

    // A write stream disposed synchronously in a pool delegate flushes on the pool thread; the chain and the message
    // name it as "using FileStream".
    [Fact]
    public Task SynchronousDisposalInAPoolDelegate_Triggers() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            void M(string path) => ThreadPool.QueueUserWorkItem(_ =>
            {
                {|#0:using|} var file = new FileStream(path, FileMode.Create);
                file.WriteByte(1);
            });
        }
        """,
        Blocks(0, "using FileStream", "ThreadPool.QueueUserWorkItem", "synchronous I/O"));

    // A Parallel.ForEach body whose blocking calls all have awaitable twins becomes Parallel.ForEachAsync with an async
    // body: every call of the body is rewritten in one edit (Fix All too), the token in scope is passed to the loop,
    // and the body's calls take the loop's own token.
    [Fact]
    public Task ParallelForEachDoingIO_Triggers_FixMakesTheLoopAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(IEnumerable<string> paths, Stream? log, CancellationToken token)
            {
                await Task.Yield();
                Parallel.ForEach(paths, p =>
                {
                    var text = {|#0:File.ReadAllText(p)|};
                    {|#1:Thread.Sleep(10)|};
                    Console.WriteLine(text.Length);
                    {|#2:File.WriteAllText(p + ".bak", {|#3:File.ReadAllText(p)|})|};
                });
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(IEnumerable<string> paths, Stream? log, CancellationToken token)
            {
                await Task.Yield();
                await Parallel.ForEachAsync(paths, token, async (p, ct) =>
                {
                    var text = await File.ReadAllTextAsync(p, ct);
                    await Task.Delay(10, ct);
                    Console.WriteLine(text.Length);
                    await File.WriteAllTextAsync(p + ".bak", await File.ReadAllTextAsync(p, ct), ct);
                });
            }
        }
        """,
        Blocks(0, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"),
        Blocks(1, "Thread.Sleep", "Parallel.ForEach", "sleep"),
        Blocks(2, "File.WriteAllText", "Parallel.ForEach", "synchronous I/O"),
        Blocks(3, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"));

    // Parallel.For → Parallel.ForAsync: ParallelOptions are kept (they carry the token), an expression body stays one,
    // a typed parameter gets a typed token, and a Task-returning method becomes async.
    [Fact]
    public Task ParallelForDoingIO_Triggers_FixMakesTheLoopAndMethodAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task Save(string[] names, ParallelOptions options)
            {
                Parallel.For(0, names.Length, options, i => {|#0:File.WriteAllText(names[i], "x")|});
                return Task.CompletedTask;
            }

            Task Load(string[] names)
            {
                Parallel.For(0, names.Length, (int i) => { {|#1:File.ReadAllBytes(names[i])|}; });
                return Task.CompletedTask;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task Save(string[] names, ParallelOptions options)
            {
                await Parallel.ForAsync(0, names.Length, options, async (i, ct) => await File.WriteAllTextAsync(names[i], "x", ct));
            }

            async Task Load(string[] names)
            {
                await Parallel.ForAsync(0, names.Length, async (int i, CancellationToken ct) => { await File.ReadAllBytesAsync(names[i], ct); });
            }
        }
        """,
        Blocks(0, "File.WriteAllText", "Parallel.For", "synchronous I/O"),
        Blocks(1, "File.ReadAllBytes", "Parallel.For", "synchronous I/O"));

    // Reported, but the loop stays: converting it would leave something blocking, or cannot compile — a body that also
    // calls a blocking helper, blocks without a twin, blocks inside a lambda or a lock of its own, takes the loop state,
    // or a loop whose result is used.
    [Fact]
    public Task ParallelBodiesThatCannotBecomeAsync_Trigger_NoLoopFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            private readonly object _gate = new();

            async Task M(string[] paths, SemaphoreSlim gate, Task<int> pending)
            {
                await Task.Yield();
                Parallel.ForEach(paths, p => { {|#0:File.ReadAllText(p)|}; {|#1:Warm()|}; });
                Parallel.ForEach(paths, p => { var n = {|#2:pending.Result|}; });
                Parallel.ForEach(paths, p => paths.ToList().ForEach(q => {|#3:File.ReadAllText(q)|}));
                Parallel.ForEach(paths, p => { lock (_gate) { {|#4:File.ReadAllText(p)|}; } });
                Parallel.ForEach(paths, (p, state) => { {|#5:File.ReadAllText(p)|}; state.Stop(); });
                var result = Parallel.ForEach(paths, p => {|#6:File.ReadAllText(p)|});
            }

            static void Warm() => Thread.Sleep(10);
        }
        """,
        Blocks(0, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"),
        Blocks(1, "Warm()", "Parallel.ForEach", "Warm → Thread.Sleep (sleep)"),
        Blocks(2, "Task<T>.Result", "Parallel.ForEach", "synchronous wait"),
        Blocks(3, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"),
        Blocks(4, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"),
        Blocks(5, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"),
        Blocks(6, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"));

    // Both fixes share one equivalence key: Fix All (and dotnet format, which fixes by the first diagnostic's key)
    // moves a Task.Run and a Parallel loop off the pool in one pass, each with its own fix.
    [Fact]
    public Task TaskRunAndParallelLoopInOneDocument_FixAllFixesBoth() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class C
        {
            async Task M(string[] paths, CancellationToken ct)
            {
                await Task.Run(() => {|#0:Thread.Sleep(10)|}, ct);
                Parallel.ForEach(paths, p => File.Delete(p + {|#1:File.ReadAllText(p)|}));
            }
        }
        """,
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class C
        {
            async Task M(string[] paths, CancellationToken ct)
            {
                await ThreadExecutor.Blocking.RunAsync(() => Thread.Sleep(10), ct);
                await Parallel.ForEachAsync(paths, ct, async (p, cancellationToken) => File.Delete(p + await File.ReadAllTextAsync(p, cancellationToken)));
            }
        }
        """,
        Blocks(0, "Thread.Sleep", "Task.Run", "sleep"),
        Blocks(1, "File.ReadAllText", "Parallel.ForEach", "synchronous I/O"));
}
