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

    // The other pool queues: reported, no fix (a Parallel body or a timer callback has no drop-in executor form).
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
}
