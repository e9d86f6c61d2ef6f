using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Threads.CONC020ComputeThreadAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Threads.CONC020ComputeThreadCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Threads;

public class CONC020ComputeThreadFixTests
{
    private const string Computes = "it loops and computes, and never waits";
    private const string PerItem = "a thread per item of the loop it is created in";

    /// <summary>The flagged source of the first fix test (also compiled and run by <c>FixedCodeRunsTests</c>).</summary>
    public const string Statistics = """
        using ConcurrencyAnalyzers.Runtime;

        class Statistics
        {
            public Task<long> SumOfSquaresAsync(int[] data)
            {
                long sum = 0;
                var worker = {|#0:new Thread(() => { for (var i = 0; i < data.Length; i++) sum += (long)data[i] * data[i]; })|};
                worker.IsBackground = true;
                worker.Name = "squares";
                worker.Start();
                worker.Join();
                return Task.FromResult(sum);
            }

            public Task<int> PartitionsAsync(int[][] partitions)
            {
                var counts = new int[partitions.Length];
                var threads = new List<Thread>();
                for (int p = 0; p < partitions.Length; p++)
                {
                    var index = p;
                    var thread = {|#1:new Thread(() => counts[index] = partitions[index].Count(x => x % 3 == 0))|};
                    thread.Start();
                    threads.Add(thread);
                }

                foreach (var thread in threads)
                    thread.Join();
                return Task.FromResult(counts.Sum());
            }
        }
        """;

    public const string StatisticsFixed = """
        using ConcurrencyAnalyzers.Runtime;

        class Statistics
        {
            public Task<long> SumOfSquaresAsync(int[] data)
            {
                long sum = 0;
                var worker = ThreadExecutor.Compute.RunAsync(() => { for (var i = 0; i < data.Length; i++) sum += (long)data[i] * data[i]; });
                worker.Wait();
                return Task.FromResult(sum);
            }

            public Task<int> PartitionsAsync(int[][] partitions)
            {
                var counts = new int[partitions.Length];
                Parallel.For(0, partitions.Length, p =>
                {
                    var index = p;
                    counts[index] = partitions[index].Count(x => x % 3 == 0);
                });
                return Task.FromResult(counts.Sum());
            }
        }
        """;

    // A local compute thread started right after its settings and joined: the compute executor, Join → Wait, the
    // settings gone. Threads started per item of a for loop and joined after it: one Parallel.For, the locals taken
    // from the item kept, the list and the join loop gone.
    [Fact]
    public Task ComputeThreadAndThreadsPerItem_FixRunsThemOnWorkers() => VerifyCS.VerifyCodeFixAsync(
        Statistics,
        StatisticsFixed,
        editorConfig: null,
        equivalenceKey: null,
        fixedHasUsings: false,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments(Computes),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments(PerItem));
}

public class CONC020ComputeThreadFixShapesTests
{
    private const string Computes = "it loops and computes, and never waits";

    // A field that holds the thread (a method group, a fire-and-forget background thread, IsAlive and ?.Join), with
    // the BCL target: the field becomes a Task, Start goes, IsAlive → !IsCompleted, ?.Join() → ?.Wait(). The
    // fire-and-forget background thread becomes a discarded task. A method group that takes the start argument is
    // called with it.
    [Fact]
    public Task FieldsMethodGroupsAndFireAndForget_FixWithTaskRun() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Simulation : IDisposable
        {
            private Thread? _engine;
            private double _energy;

            public void Start(int steps)
            {
                _engine = {|#0:new Thread(Run) { IsBackground = true, Name = "engine" }|};
                _engine.Start(steps);
                {|#1:new Thread(Warm) { IsBackground = true }|}.Start();
            }

            public bool Running => _engine != null && _engine.IsAlive;

            public bool Finished => !_engine!.IsAlive;

            private void Run(object? state)
            {
                var steps = (int)state!;
                for (var i = 0; i < steps; i++)
                    _energy += Math.Sin(i) * Math.Cos(i);
            }

            private static void Warm()
            {
                var table = new double[4096];
                for (var i = 0; i < table.Length; i++)
                    table[i] = Math.Sqrt(i);
            }

            public void Dispose() => _engine?.Join();
        }
        """,
        /* lang=c#-test */ """
        class Simulation : IDisposable
        {
            private Task? _engine;
            private double _energy;

            public void Start(int steps)
            {
                _engine = Task.Run(() => Run(steps));
                _ = Task.Run(Warm);
            }

            public bool Running => _engine != null && !_engine.IsCompleted;

            public bool Finished => _engine!.IsCompleted;

            private void Run(object? state)
            {
                var steps = (int)state!;
                for (var i = 0; i < steps; i++)
                    _energy += Math.Sin(i) * Math.Cos(i);
            }

            private static void Warm()
            {
                var table = new double[4096];
                for (var i = 0; i < table.Length; i++)
                    table[i] = Math.Sqrt(i);
            }

            public void Dispose() => _engine?.Wait();
        }
        """,
        editorConfig: "concurrency_analyzers.offload_target = bcl",
        equivalenceKey: null,
        fixedHasUsings: false,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments(Computes),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments(Computes));

    // Joined in async code: await the task. Declared as Thread: declared as Task.
    [Fact]
    public Task JoinInAsyncCode_FixAwaitsTheTask() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class Index
        {
            public async Task<int> BuildAsync(string[] words)
            {
                var counts = new Dictionary<string, int>();
                Thread builder = {|#0:new Thread(() => { foreach (var w in words) counts[w] = counts.TryGetValue(w, out var n) ? n + 1 : 1; })|};
                builder.Start();
                await Task.Yield();
                builder.Join();
                return counts.Count;
            }
        }
        """,
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class Index
        {
            public async Task<int> BuildAsync(string[] words)
            {
                var counts = new Dictionary<string, int>();
                Task builder = ThreadExecutor.Compute.RunAsync(() => { foreach (var w in words) counts[w] = counts.TryGetValue(w, out var n) ? n + 1 : 1; });
                await Task.Yield();
                await builder;
                return counts.Count;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments(Computes));

    // What a task cannot stand for: a priority, the thread's id, a thread handed on, a foreground thread nobody joins
    // (it keeps the process alive; a task would not), work between the creation and the start, a start argument that
    // changes before the lambda would read it, threads per item that are not joined after the loop. Reported, no fix.
    [Fact]
    public Task ThreadsATaskCannotReplace_Trigger_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            void M(int[] data, List<Thread> all)
            {
                var low = {|#0:new Thread(() => { long s = 0; foreach (var x in data) s += x; })|};
                low.Priority = ThreadPriority.BelowNormal;
                low.Start();
                low.Join();

                var tracked = {|#1:new Thread(() => { long s = 0; foreach (var x in data) s += x; })|};
                tracked.Start();
                Console.WriteLine(tracked.ManagedThreadId);
                tracked.Join();

                var shared = {|#2:new Thread(() => { long s = 0; foreach (var x in data) s += x; })|};
                all.Add(shared);
                shared.Start();

                {|#3:new Thread(() => { long s = 0; foreach (var x in data) s += x; })|}.Start();

                var late = {|#4:new Thread(() => { long s = 0; foreach (var x in data) s += x; })|};
                Console.WriteLine("starting");
                late.Start();
                late.Join();

                for (var i = 0; i < data.Length; i++)
                {
                    var t = {|#5:new Thread(Count)|};
                    t.Start(i);
                    t.Join();
                }

                foreach (var x in data)
                    {|#6:new Thread(() => Console.WriteLine(x)) { IsBackground = true }|}.Start();
            }

            void Count(object? index)
            {
                long s = 0;
                for (var i = 0; i < (int)index!; i++)
                    s += i;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments(Computes),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments(Computes),
        VerifyCS.Diagnostic().WithLocation(2).WithArguments(Computes),
        VerifyCS.Diagnostic().WithLocation(3).WithArguments(Computes),
        VerifyCS.Diagnostic().WithLocation(4).WithArguments(Computes),
        VerifyCS.Diagnostic().WithLocation(5).WithArguments("a thread per item of the loop it is created in"),
        VerifyCS.Diagnostic().WithLocation(6).WithArguments("a thread per item of the loop it is created in"));

    // A foreach over items whose threads run a method group with the item as start argument: Parallel.ForEach calls it.
    [Fact]
    public Task ThreadPerItemOfAForeach_FixIsParallelForEach() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Renderer
        {
            public void RenderAll(IEnumerable<string> pages)
            {
                var workers = new List<Thread>();
                foreach (var page in pages)
                {
                    var worker = {|#0:new Thread(Render)|};
                    worker.IsBackground = true;
                    worker.Start(page);
                    workers.Add(worker);
                }

                foreach (var worker in workers)
                {
                    worker.Join();
                }
            }

            private void Render(object? page) => Console.WriteLine(page);
        }
        """,
        /* lang=c#-test */ """
        class Renderer
        {
            public void RenderAll(IEnumerable<string> pages)
            {
                Parallel.ForEach(pages, page =>
                {
                    Render(page);
                });
            }

            private void Render(object? page) => Console.WriteLine(page);
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("a thread per item of the loop it is created in"));
}
