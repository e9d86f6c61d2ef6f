using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.ThreadPool.CONC022WrappedSynchronousIOAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.ThreadPool.CONC022WrappedSynchronousIOCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.ThreadPool;

public class CONC022WrappedSynchronousIOTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Wraps(int location, string runner, string call, string twin) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(runner, call, twin);

    [Fact]
    public Task AwaitedTaskRunOverSyncIO_Triggers_FixCallsTheTwin() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(string path, Stream stream, CancellationToken ct)
            {
                var text = await {|#0:Task.Run(() => File.ReadAllText(path))|};
                await {|#1:Task.Run(() => { stream.Flush(); })|}.ConfigureAwait(false);
                return text.Length;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(string path, Stream stream, CancellationToken ct)
            {
                var text = await File.ReadAllTextAsync(path, ct);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                return text.Length;
            }
        }
        """,
        Wraps(0, "Task.Run", "File.ReadAllText", "ReadAllTextAsync"),
        Wraps(1, "Task.Run", "Stream.Flush", "FlushAsync"));

    // Returned rather than awaited: the twin's task takes the place of Task.Run's; a ValueTask twin becomes .AsTask().
    [Fact]
    public Task ReturnedTaskRun_FixKeepsTheTaskType() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        interface IChannel
        {
            int Receive(byte[] buffer);
            ValueTask<int> ReceiveAsync(byte[] buffer, CancellationToken ct = default);
        }

        class C
        {
            Task<string> Load(string path) => {|#0:Task.Run(() => File.ReadAllText(path))|};
            Task<int> Receive(IChannel channel, byte[] buffer) => {|#1:Task.Factory.StartNew(() => channel.Receive(buffer))|};
        }
        """,
        /* lang=c#-test */ """
        interface IChannel
        {
            int Receive(byte[] buffer);
            ValueTask<int> ReceiveAsync(byte[] buffer, CancellationToken ct = default);
        }

        class C
        {
            Task<string> Load(string path) => File.ReadAllTextAsync(path);
            Task<int> Receive(IChannel channel, byte[] buffer) => channel.ReceiveAsync(buffer).AsTask();
        }
        """,
        Wraps(0, "Task.Run", "File.ReadAllText", "ReadAllTextAsync"),
        Wraps(1, "Task.Factory.StartNew", "IChannel.Receive", "ReceiveAsync"));

    // Not this rule: work that is more than one call, CPU work, async lambdas, calls without a twin, no-I/O APIs,
    // a long-running StartNew (a thread of its own), and a helper whose body is visible (CONC023 judges that).
    [Fact]
    public Task OtherDelegates_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(string path, int[] values, MemoryStream memory)
            {
                await Task.Run(() => { var t = File.ReadAllText(path); return t.Trim(); });
                await Task.Run(() => values.Sum());
                await Task.Run(async () => await File.ReadAllTextAsync(path));
                await Task.Run(() => Path.GetFullPath(path));
                await Task.Run(() => memory.Flush());
                await Task.Factory.StartNew(() => File.ReadAllText(path), TaskCreationOptions.LongRunning);
                await Task.Run(() => Load(path));
            }

            static string Load(string path) => File.ReadAllText(path);
        }
        """);

    // A method group of a parameterless sync I/O method whose twin binds: the same, fixed to call the twin. One whose
    // twin does not bind, or of an in-memory type, is not reported.
    [Fact]
    public Task MethodGroupOverSyncIO_Triggers_FixCallsTheTwin() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(StreamReader reader, Stream stream, StringReader text, CancellationToken ct)
            {
                var all = await {|#0:Task.Run(reader.ReadToEnd)|};
                await {|#1:Task.Run(stream.Flush)|};
                var peeked = await Task.Run(reader.Peek);
                var local = await Task.Run(text.ReadToEnd);
                return all.Length + peeked + local.Length;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(StreamReader reader, Stream stream, StringReader text, CancellationToken ct)
            {
                var all = await reader.ReadToEndAsync(ct);
                await stream.FlushAsync(ct);
                var peeked = await Task.Run(reader.Peek);
                var local = await Task.Run(text.ReadToEnd);
                return all.Length + peeked + local.Length;
            }
        }
        """,
        Wraps(0, "Task.Run", "StreamReader.ReadToEnd", "ReadToEndAsync"),
        Wraps(1, "Task.Run", "Stream.Flush", "FlushAsync"));
}
