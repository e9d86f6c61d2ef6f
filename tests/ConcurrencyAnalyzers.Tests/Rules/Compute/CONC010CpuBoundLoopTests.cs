using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Compute.CONC010CpuBoundLoopAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Compute.CONC010CpuBoundLoopCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Compute;

public class CONC010CpuBoundLoopTests
{
    /// <summary>The flagged source of the fix test (also compiled and run by <c>FixedCodeRunsTests</c>).</summary>
    public const string Scoring = """
        using ConcurrencyAnalyzers.Runtime;

        class Scoring
        {
            async Task<double> ScoreAsync(double[] samples, double[] baseline, Stream output, CancellationToken ct)
            {
                long checksum = 0;
                {|#0:for|} (var i = 0; i < 1_000_000; i++)
                    checksum += i % 7;
                await output.FlushAsync(ct);
                double score = 0, count = 0;
                {|#1:foreach|} (var a in samples)
                {
                    foreach (var b in baseline)
                        score += a * b;
                    count++;
                }

                return score / count + checksum;
            }
        }
        """;

    /// <summary>What the fix makes of <see cref="Scoring"/>.</summary>
    public const string ScoringFixed = """
        using ConcurrencyAnalyzers.Runtime;

        class Scoring
        {
            async Task<double> ScoreAsync(double[] samples, double[] baseline, Stream output, CancellationToken ct)
            {
                long checksum = 0;
                await ThreadExecutor.Compute.RunAsync(() =>
                {
                    for (var i = 0; i < 1_000_000; i++)
                        checksum += i % 7;
                }, ct);
                await output.FlushAsync(ct);
                double score = 0, count = 0;
                await ThreadExecutor.Compute.RunAsync(() =>
                {
                    foreach (var a in samples)
                    {
                        foreach (var b in baseline)
                            score += a * b;
                        count++;
                    }
                }, ct);

                return score / count + checksum;
            }
        }
        """;

    private const string Before = "before the first await, on the caller's thread";
    private const string After = "after an await";

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Loop(int location, string reason, string where) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(reason, where);

    // Each reason of the cost model, on the outermost qualifying loop's keyword; the fix moves the loop to the compute
    // executor and the accumulators it assigns stay visible after it (captured, assigned in place).
    [Fact]
    public Task HeavyLoops_Trigger_FixRunsThemOnTheComputeExecutorKeepingTheirValues() => VerifyCS.VerifyCodeFixAsync(
        Scoring,
        ScoringFixed,
        Loop(0, "constant bounds of 1,000,000 iterations", Before),
        Loop(1, "a nested loop that computes makes it a quadratic pass", After));

    // The other reasons: nested constant bounds, a CPU-heavy call, a recursive helper, no end but a break; only the
    // outermost qualifying loop is reported. An async method recursing into itself with await is not compute.
    [Fact]
    public Task OtherReasons_Trigger_OnTheOutermostLoop() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Security.Cryptography;

        class C
        {
            private bool _ready;

            async Task<int> M(int[,] grid, string[] passwords, byte[] salt, Queue<int> work, Node root)
            {
                await Task.Yield();
                var sum = 0;
                {|#0:for|} (var i = 0; i < 1000; i++)
                    for (var j = 0; j < 1000; j++)
                        sum += grid[i % 2, j % 2];
                {|#1:foreach|} (var password in passwords)
                    sum += Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA256, 32)[0];
                {|#2:while|} (true)
                {
                    if (Volatile.Read(ref _ready))
                        break;
                    Thread.SpinWait(20);
                }

                return sum;
            }

            async Task<long> Fibonacci(int n)
            {
                await Task.Yield();
                long sum = 0;
                {|#3:for|} (var i = 0; i < n; i++)
                    sum += Fib(i % 30);
                return sum;
            }

            async Task<int> Walk(Node node)
            {
                var depth = 0;
                foreach (var child in node.Children)
                    depth = Math.Max(depth, await Walk(child));
                return depth + 1;
            }

            static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
        }

        class Node
        {
            public List<Node> Children { get; } = new();
        }
        """,
        Loop(0, "constant bounds of 1,000,000 iterations", After),
        Loop(1, "it calls 'Rfc2898DeriveBytes.Pbkdf2' (PBKDF2 key derivation)", After),
        Loop(2, "it only ends by a break", After),
        Loop(3, "it calls 'Fib', which is recursive", After));

    // The look-alikes: loops that await (even once, a Task.Yield), loops whose cost is a blocking call, short loops
    // over unknown collections, walks of an element's parts, nested loops that only compare and count, loops already
    // off the async path, loops in synchronous code, small constant bounds (also nested: 4 x 4, or an inner 3), a queue
    // drained until empty.
    [Fact]
    public Task CheapOrAwaitingOrBlockingLoops_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(List<Order> orders, int[] ids, string path, Queue<int> queue, CancellationToken ct)
            {
                var total = 0;
                for (var i = 0; i < 1_000_000; i++)
                {
                    total += i;
                    if (i % 1000 == 0)
                        await Task.Yield();
                }

                foreach (var order in orders)
                    foreach (var line in order.Lines)
                        total += line.Quantity * line.Price;
                foreach (var a in ids)
                    foreach (var b in ids)
                        if (a == b)
                            total++;
                for (var i = 0; i < 100; i++)
                    total += i * i;
                while (true)
                {
                    Thread.Sleep(100);
                    if (File.Exists(path))
                        break;
                }

                await Task.Run(() => { for (var i = 0; i < 1_000_000; i++) total += i; });
                await Task.Run(async () => { await Task.Yield(); for (var i = 0; i < 1_000_000; i++) total += i; });
                await foreach (var item in Items(ct))
                    total += item;
                while (true)
                {
                    if (!queue.TryDequeue(out var next))
                        break;
                    total += next;
                }

                var matrix = new int[4, 4];
                for (var i = 0; i < 4; i++)
                    for (var j = 0; j < 4; j++)
                        matrix[i, j] = i * j;
                foreach (var order in orders)
                    for (var k = 0; k < 3; k++)
                        total += order.Lines.Count * k;
                return total;
            }


            int Sync()
            {
                var total = 0;
                for (var i = 0; i < 1_000_000; i++)
                    total += i;
                return total;
            }

            static async IAsyncEnumerable<int> Items([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
            {
                await Task.Yield();
                yield return 1;
            }
        }

        class Order
        {
            public List<Line> Lines { get; } = new();
        }

        class Line
        {
            public int Quantity { get; set; }
            public int Price { get; set; }
        }
        """);

    // A loop the fix cannot move: it returns from the method, or is not directly in a block; reported, no fix.
    [Fact]
    public Task LoopsALambdaCannotHold_Trigger_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(byte[] data)
            {
                await Task.Yield();
                {|#0:for|} (var i = 0; i < 100_000; i++)
                {
                    if (data[i % data.Length] == 0)
                        return i;
                }

                var count = 0;
                if (data.Length > 0)
                    {|#1:for|} (var i = 0; i < 100_000; i++)
                        count += data[i % data.Length];
                return count;
            }
        }
        """,
        Loop(0, "constant bounds of 100,000 iterations", After),
        Loop(1, "constant bounds of 100,000 iterations", After));

    // A loop that calls, per item, a helper of the project whose nested loops compute (an edit distance): its cost
    // multiplies the loop's. A helper with one loop, or nested loops that only copy, does not.
    [Fact]
    public Task LoopCallingAQuadraticHelper_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Search
        {
            async Task<string?> DidYouMeanAsync(Func<Task<string[]>> load, string term)
            {
                var names = await load();
                string? best = null;
                var bestDistance = int.MaxValue;
                {|#0:foreach|} (var name in names)
                {
                    var d = Distance(term, name);
                    if (d < bestDistance)
                        (best, bestDistance) = (name, d);
                }

                foreach (var name in names)
                    bestDistance = Math.Min(bestDistance, Length(name));
                foreach (var name in names)
                    Copy(name.ToCharArray(), name.ToCharArray());
                return best;
            }

            static int Distance(string a, string b)
            {
                var d = new int[a.Length + 1, b.Length + 1];
                for (var i = 1; i <= a.Length; i++)
                    for (var j = 1; j <= b.Length; j++)
                        d[i, j] = Math.Min(d[i - 1, j] + 1, d[i, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                return d[a.Length, b.Length];
            }

            static int Length(string s)
            {
                var n = 0;
                foreach (var c in s)
                    n += c == ' ' ? 0 : 1;
                return n;
            }

            static void Copy(char[] from, char[] to)
            {
                for (var i = 0; i < from.Length; i++)
                    for (var j = 0; j < 1; j++)
                        to[i] = from[i];
            }
        }
        """,
        Loop(0, "it calls 'Distance', whose nested loops compute", After));

    // An async iterator's loop that yields each frame it splits off hands control to its consumer on every item: not a
    // compute loop, however it ends. The same split without the yield, building a list, ends only by a break.
    [Fact]
    public Task AsyncIteratorLoopThatYields_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Buffers;
        using System.IO.Pipelines;
        using System.Runtime.CompilerServices;

        class Frames
        {
            private readonly Pipe _pipe = new();

            public async IAsyncEnumerable<ReadOnlySequence<byte>> ReadAsync([EnumeratorCancellation] CancellationToken ct)
            {
                while (true)
                {
                    var result = await _pipe.Reader.ReadAtLeastAsync(4, ct);
                    var buffer = result.Buffer;
                    while (true)
                    {
                        if (buffer.Length < 4)
                            break;
                        var size = (int)buffer.First.Span[0];
                        if (buffer.Length < 4 + size)
                            break;
                        yield return buffer.Slice(4, size);
                        buffer = buffer.Slice(4 + size);
                    }

                    if (result.IsCompleted)
                        break;
                    _pipe.Reader.AdvanceTo(buffer.Start);
                }
            }

            public async Task<List<ReadOnlySequence<byte>>> SplitAsync(CancellationToken ct)
            {
                var frames = new List<ReadOnlySequence<byte>>();
                var result = await _pipe.Reader.ReadAtLeastAsync(4, ct);
                var buffer = result.Buffer;
                {|#0:while|} (true)
                {
                    if (buffer.Length < 4)
                        break;
                    var size = (int)buffer.First.Span[0];
                    frames.Add(buffer.Slice(4, size));
                    buffer = buffer.Slice(4 + size);
                }

                return frames;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("it only ends by a break", "after an await"));
}
