using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC005BlockingHelperAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC005BlockingHelperCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

public class CONC005BlockingHelperTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Blocks(int location, string call, string chain) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(call, chain);

    // ---- What fires ----

    [Fact]
    public Task HelperChainThatReadsAFile_Triggers_FixOffloadsTheCallWithTaskRun() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Startup
        {
            async Task<int> StartAsync(CancellationToken ct)
            {
                await Task.Yield();
                return {|#0:LoadConfig()|};
            }

            private static int LoadConfig() => ReadSettings().Length;
            private static string ReadSettings() => File.ReadAllText("settings.json");
        }
        """,
        /* lang=c#-test */ """
        class Startup
        {
            async Task<int> StartAsync(CancellationToken ct)
            {
                await Task.Yield();
                return await Task.Run(() => LoadConfig(), ct);
            }

            private static int LoadConfig() => ReadSettings().Length;
            private static string ReadSettings() => File.ReadAllText("settings.json");
        }
        """,
        "concurrency_analyzers.offload_target = bcl",
        ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC005BlockingHelperCodeFix.EquivalenceKey,
        fixedHasUsings: false,
        Blocks(0, "LoadConfig()", "LoadConfig → ReadSettings → File.ReadAllText (synchronous I/O)"));

    // Every kind of blocking, through every kind of certain target: a local function, a getter, an indexer, a
    // constructor, an extension method, a sealed override, a method of a struct.
    [Fact]
    public Task EveryKindThroughEveryCertainTarget_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        static class Waits
        {
            public static int Drain(this Task<int> task) => task.Result;
        }

        abstract class Base { public abstract void Poll(); }

        sealed class Poller : Base
        {
            public override void Poll() => Thread.Sleep(100);
        }

        struct Gate
        {
            private readonly SemaphoreSlim _sem;
            public Gate(SemaphoreSlim sem) => _sem = sem;
            public void Enter() => _sem.Wait();
        }

        class Store
        {
            private readonly Stream _stream = File.OpenRead("data");
            public Store() => _stream.Flush();
            public int Length => Read();
            public byte this[int i] => (byte)_stream.ReadByte();
            private int Read() { var b = new byte[4]; return _stream.Read(b, 0, 4); }
        }

        class C
        {
            async Task M(Task<int> pending, Poller poller, Gate gate, Store store)
            {
                await Task.Yield();
                {|#0:pending.Drain()|};
                {|#1:poller.Poll()|};
                {|#2:gate.Enter()|};
                var n = {|#3:store.Length|};
                var fresh = {|#4:new Store()|};
                {|#5:Local()|};

                void Local() => Thread.Sleep(5);
            }
        }
        """,
        Blocks(0, "Drain()", "Drain → Task<T>.Result (synchronous wait)"),
        Blocks(1, "Poll()", "Poll → Thread.Sleep (sleep)"),
        Blocks(2, "Enter()", "Enter → SemaphoreSlim.Wait (blocking wait)"),
        Blocks(3, "Length", "Length → Read → Stream.Read (synchronous I/O)"),
        Blocks(4, "new Store", "new Store → Stream.Flush (synchronous I/O)"),
        Blocks(5, "Local()", "Local → Thread.Sleep (sleep)"));

    // The sync half of a dual API blocks by design; inside it is sync context, but a call of it from async code blocks.
    [Fact]
    public Task SyncHalfOfADualApi_CalledFromAsyncCode_Triggers_FixAwaitsTheAsyncHalf() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Transaction
        {
            public void Rollback() => RollbackAsync().GetAwaiter().GetResult();
            public async Task RollbackAsync(CancellationToken ct = default) => await Task.Delay(1, ct);
        }

        class C
        {
            async Task M(Transaction tx, CancellationToken ct)
            {
                await Task.Yield();
                {|#0:tx.Rollback()|};
            }
        }
        """,
        /* lang=c#-test */ """
        class Transaction
        {
            public void Rollback() => RollbackAsync().GetAwaiter().GetResult();
            public async Task RollbackAsync(CancellationToken ct = default) => await Task.Delay(1, ct);
        }

        class C
        {
            async Task M(Transaction tx, CancellationToken ct)
            {
                await Task.Yield();
                await tx.RollbackAsync(ct);
            }
        }
        """,
        Blocks(0, "Rollback()", "Rollback → GetAwaiter().GetResult() (synchronous wait)"));

    // A sibling that only wraps the call is no twin: the fix offloads instead (the getter read keeps its value).
    [Fact]
    public Task SiblingThatOnlyWrapsTheCall_FixOffloadsToTheBlockingExecutor() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class Repository
        {
            public string Load(string id) => File.ReadAllText(id);
            public Task<string> LoadAsync(string id) => Task.FromResult(Load(id));
            public string Current => File.ReadAllText("current");
        }

        class C
        {
            async Task<int> M(Repository repository, CancellationToken token)
            {
                await Task.Yield();
                var text = {|#0:repository.Load("a")|};
                return text.Length + {|#1:repository.Current|}.Length;
            }
        }
        """,
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        class Repository
        {
            public string Load(string id) => File.ReadAllText(id);
            public Task<string> LoadAsync(string id) => Task.FromResult(Load(id));
            public string Current => File.ReadAllText("current");
        }

        class C
        {
            async Task<int> M(Repository repository, CancellationToken token)
            {
                await Task.Yield();
                var text = await ThreadExecutor.Blocking.RunAsync(() => repository.Load("a"), token);
                return text.Length + (await ThreadExecutor.Blocking.RunAsync(() => repository.Current, token)).Length;
            }
        }
        """,
        Blocks(0, "Load()", "Load → File.ReadAllText (synchronous I/O)"),
        Blocks(1, "Current", "Current → File.ReadAllText (synchronous I/O)"));

    // ---- What must not fire ----

    // The body decides: a Close() that only disposes a socket does not block, whatever CloseAsync suggests; neither do
    // virtual or interface targets (CONC003 judges those), async helpers, iterators, lambdas a helper only declares.
    [Fact]
    public Task HelpersThatDoNotBlockOrWhoseBodyIsNotCertain_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Net.Sockets;

        interface IStore { string Load(); }

        class Connection
        {
            private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);
            public void Close() => _socket.Dispose();
            public Task CloseAsync() => Task.CompletedTask;
            public virtual string Read() => File.ReadAllText("x");
            public async Task<string> ReadAllAsync() => await File.ReadAllTextAsync("x");
            public IEnumerable<string> Lines() { yield return File.ReadAllText("x"); }
            public Func<string> Later() => () => File.ReadAllText("x");
            public int Sum(int[] values) => values.Sum();
            public string Buffered() { using var reader = new StringReader("text"); return reader.ReadToEnd(); }
        }

        class C
        {
            async Task M(Connection connection, IStore store)
            {
                await Task.Yield();
                connection.Close();
                connection.Read();
                store.Load();
                await connection.ReadAllAsync();
                var lines = connection.Lines();
                var later = connection.Later();
                connection.Sum(new[] { 1, 2 });
                connection.Buffered();
            }

            void Sync(Connection connection) => connection.Read();
        }
        """);

    // The precision rules hold inside the helper: a completed task, a zero timeout, the synchronous side of a shared path.
    [Fact]
    public Task HelpersThatOnlyLookLikeTheyBlock_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Helpers
        {
            public static int Done() { var t = Task.FromResult(1); return t.Result; }
            public static bool TryEnter(SemaphoreSlim gate) => gate.Wait(0);
            public static void Yield() => Thread.Sleep(0);
            public static ValueTask<int> Read(Stream s, byte[] b, bool async) => async ? s.ReadAsync(b) : new(s.Read(b));
        }

        class C
        {
            async Task<int> M(SemaphoreSlim gate, Stream s, byte[] b, bool async)
            {
                await Task.Yield();
                Helpers.Yield();
                return Helpers.Done() + (Helpers.TryEnter(gate) ? 1 : 0) + await Helpers.Read(s, b, async);
            }
        }
        """);

    // Recursion ends at the depth cap; a chain deeper than CONC005.max_depth is not followed.
    [Fact]
    public Task RecursionAndChainsDeeperThanTheCap() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M()
            {
                await Task.Yield();
                Ping(3);
                {|#0:Two()|};
                Three();
            }

            static void Ping(int n) { if (n > 0) Pong(n - 1); }
            static void Pong(int n) { if (n > 0) Ping(n - 1); }
            static void Two() => One();
            static void Three() => Two();
            static void One() => Thread.Sleep(10);
        }
        """,
        "CONC005.max_depth = 2",
        Blocks(0, "Two()", "Two → One → Thread.Sleep (sleep)"));

    // A helper called in the synchronous arm of a shared sync/async path is not the async path.
    [Fact]
    public Task HelperOnTheSynchronousArmOfASharedPath_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            public async ValueTask Flush(Stream stream, bool async)
            {
                if (async)
                    await stream.FlushAsync();
                else
                    FlushNow(stream);
            }

            private static void FlushNow(Stream stream) => stream.Flush();
        }
        """);

    // Excluded helpers are neither reported nor followed; a listed one is CONC003's, never reported twice.
    [Fact]
    public Task ExcludedOrListedHelpers_AreNotReportedByThisRule() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M()
            {
                await Task.Yield();
                Warm();
                Wrapper();
                Legacy();
            }

            static void Warm() => Thread.Sleep(10);
            static void Wrapper() => Warm();
            static void Legacy() => Thread.Sleep(10);
        }
        """,
        "concurrency_analyzers.excluded_apis = M:C.Warm\nconcurrency_analyzers.additional_blocking_apis = M:C.Legacy");

    // An empty body, or one that only throws, is a placeholder (the reference-assembly idiom): CONC005 does not judge it; CONC003 judges
    // the call by its sibling's name, as for a method from metadata.
    [Fact]
    public Task PlaceholderBody_IsJudgedByName_NotByBody() => ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
        ConcurrencyAnalyzers.Rules.Blocking.CONC003SynchronousIOAnalyzer,
        ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC003SynchronousIOCodeFix>.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Api
        {
            public void Write() => throw null!;
            public Task WriteAsync() => throw null!;
            public int Read() { throw new NotImplementedException(); }
            public int Size() => 5;
            public Task<int> SizeAsync() => Task.FromResult(0);
            public Task<int> ReadAsync() => throw new NotImplementedException();
            public static void Flush() { }
            public static Task FlushAsync() => Task.CompletedTask; // a stub twin: trusted by its name, not "synchronous in fact"
        }

        class C
        {
            async Task M(Api api)
            {
                await Task.Yield();
                {|#0:api.Write()|};
                {|#1:api.Read()|};
                {|#2:Api.Flush()|};
                {|#3:api.Size()|};
            }
        }
        """,
        CONC003SynchronousIOTests.Twin(0, "Api.Write", "WriteAsync"),
        CONC003SynchronousIOTests.Twin(1, "Api.Read", "ReadAsync"),
        CONC003SynchronousIOTests.Twin(2, "Api.Flush", "FlushAsync"),
        CONC003SynchronousIOTests.Twin(3, "Api.Size", "SizeAsync"));

    // A getter with a cached fast path blocks only on first use (a lazily filled field, or an early return of the
    // cached field); one that blocks on every read is reported.
    [Fact]
    public Task GetterThatBlocksOnlyUntilCached_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Client
        {
            private int _connects;
            private string? _banner;
            private readonly List<string> _features = new();

            public string Banner
            {
                get
                {
                    if (_banner == null)
                        _banner = File.ReadAllText("banner.txt");
                    return _banner;
                }
            }

            public List<string> Features
            {
                get
                {
                    if (_connects > 0)
                        return _features;
                    Thread.Sleep(100);
                    return _features;
                }
            }

            public string Motd => File.ReadAllText("motd.txt");
        }

        class C
        {
            async Task<int> M(Client client)
            {
                await Task.Yield();
                return client.Banner.Length + client.Features.Count + {|#0:client.Motd|}.Length;
            }
        }
        """,
        Blocks(0, "Motd", "Motd → File.ReadAllText (synchronous I/O)"));

    // A helper that tears a connection down, called in a catch that rethrows, is teardown on a failing path; the same
    // helper on the normal path blocks.
    [Fact]
    public Task TeardownHelperInACatchThatRethrows_DoesNotTrigger_ButOnTheNormalPathDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class Channel
        {
            private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);

            public async Task<int> ReadAsync(byte[] buffer, CancellationToken ct)
            {
                try
                {
                    return await _socket.ReceiveAsync(buffer, ct);
                }
                catch (OperationCanceledException ex)
                {
                    Disconnect();
                    throw new TimeoutException("timed out", ex);
                }
            }

            public async Task CloseAsync()
            {
                await Task.Yield();
                {|#0:Disconnect()|};
            }

            private void Disconnect()
            {
                _socket.Disconnect(false);
                _socket.Dispose();
            }
        }
        """,
        Blocks(0, "Disconnect()", "Disconnect → Socket.Disconnect (synchronous I/O)"));

    // A helper whose blocking runs only for some values of a parameter: a generated client's Deserialize writes a file
    // only when asked for a Stream, and a Save writes to disk only when told to. Calls whose constant argument rules
    // that out do not block, also through a forwarder that passes its own parameter on. The same calls asking for a
    // Stream, passing true, or passing a value not known here are reported.
    [Fact]
    public Task HelperBlockingOnlyForSomeArguments_TriggersOnlyWhereTheArgumentsAllowIt() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        public sealed class Bucket { }

        internal sealed class ApiClient
        {
            public object Deserialize(byte[] body, Type type)
            {
                if (type == typeof(byte[]))
                    return body;
                if (type == typeof(Stream))
                {
                    File.WriteAllBytes("response.bin", body);
                    return new MemoryStream(body);
                }

                return new Bucket();
            }

            public object Read(byte[] body, Type type) => Deserialize(body, type);

            public void Save(string path, string text, bool toDisk)
            {
                if (!toDisk)
                    return;
                if (toDisk && path.Length > 0)
                    File.WriteAllText(path, text);
            }

            public void Keep(string text, bool inMemory)
            {
                if (!inMemory)
                    File.WriteAllText("keep.txt", text);
            }
        }

        public class BucketsService
        {
            private readonly ApiClient _client = new();

            public async Task<object> GetAsync(Type requested, bool persist)
            {
                var body = await Task.FromResult(new byte[1]);
                var bucket = (Bucket)_client.Deserialize(body, typeof(Bucket));
                var again = _client.Read(body, typeof(Bucket));
                _client.Save("b.txt", "x", toDisk: false);
                _client.Keep("x", inMemory: true);
                var file = {|#0:_client.Deserialize(body, typeof(Stream))|};
                var wrapped = {|#1:_client.Read(body, typeof(Stream))|};
                var unknown = {|#2:_client.Deserialize(body, requested)|};
                {|#3:_client.Save("b.txt", "x", toDisk: true)|};
                {|#4:_client.Save("b.txt", "x", persist)|};
                {|#5:_client.Keep("x", inMemory: false)|};
                return new object[] { bucket, again, file, wrapped, unknown };
            }
        }
        """,
        Blocks(0, "Deserialize()", "Deserialize → File.WriteAllBytes (synchronous I/O)"),
        Blocks(1, "Read()", "Read → Deserialize → File.WriteAllBytes (synchronous I/O)"),
        Blocks(2, "Deserialize()", "Deserialize → File.WriteAllBytes (synchronous I/O)"),
        Blocks(3, "Save()", "Save → File.WriteAllText (synchronous I/O)"),
        Blocks(4, "Save()", "Save → File.WriteAllText (synchronous I/O)"),
        Blocks(5, "Keep()", "Keep → File.WriteAllText (synchronous I/O)"));

    // A helper that writes only into the memory stream its one caller gives it does no I/O, so neither does the caller.
    [Fact]
    public Task HelperWritingIntoItsCallersMemoryStream_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        internal static class AuthBlock
        {
            public static byte[] Identify(byte[] key)
            {
                using var result = new MemoryStream(256);
                result.Write(key, 0, 1);
                WritePart(result, 7, key);
                return result.ToArray();
            }

            private static void WritePart(Stream stream, byte code, byte[] data)
            {
                stream.WriteByte(code);
                stream.Write(data, 0, data.Length);
            }

            public static void Save(string path, byte[] key) => Store(path, key);

            private static void Store(string path, byte[] key) => File.WriteAllBytes(path, key);
        }

        public class Connection
        {
            public async Task IdentifyAsync(Stream network, CancellationToken ct)
            {
                var data = AuthBlock.Identify(new byte[] { 1 });
                await network.WriteAsync(data, ct);
                {|#0:AuthBlock.Save("key.bin", data)|};
            }
        }
        """,
        Blocks(0, "Save()", "Save → Store → File.WriteAllBytes (synchronous I/O)"));

    // FusionCache's shape: a helper that deserializes a cached byte[] through a pluggable serializer with an async twin
    // does CPU work; the same helper reading the entry from a stream blocks.
    [Fact]
    public Task HelperThatDeserializesBytes_DoesNotTrigger_FromAStreamItDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        public interface ISerializer
        {
            T? Deserialize<T>(byte[] data);
            ValueTask<T?> DeserializeAsync<T>(byte[] data, CancellationToken token = default);
            T? Deserialize<T>(Stream data);
            ValueTask<T?> DeserializeAsync<T>(Stream data, CancellationToken token = default);
        }

        class Cache
        {
            private readonly ISerializer _serializer;
            public Cache(ISerializer serializer) => _serializer = serializer;

            public async Task<int> GetAsync(byte[] entry, Stream stored)
            {
                await Task.Yield();
                return FromEntry(entry) + {|#0:FromStore(stored)|};
            }

            private int FromEntry(byte[] entry) => _serializer.Deserialize<int>(entry);
            private int FromStore(Stream stored) => _serializer.Deserialize<int>(stored);
        }
        """,
        Blocks(0, "FromStore()", "FromStore → ISerializer.Deserialize (synchronous I/O)"));
}
