using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC003SynchronousIOAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC003SynchronousIOCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

/// <summary>
/// From a field check on a database driver and an FTP client: an "async" counterpart that runs synchronously frees no
/// thread, so calling the sync one is no loss; a reader read to its end has nothing left for Dispose to read; an enum
/// that names the I/O mode guards a shared sync/async path like a bool flag does.
/// </summary>
public class CONC003SynchronousInFactTests
{
    // DisposeAsync() { Dispose(); return default; }, an async Close without an await, a twin that checks the token and
    // returns Task.FromResult of the sync call: each runs to completion on the caller's thread.
    [Fact]
    public Task CounterpartsThatRunSynchronously_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        sealed class Command : IDisposable, IAsyncDisposable
        {
            private bool _closed;
            public void Dispose() => _closed = true;
            public ValueTask DisposeAsync() { Dispose(); return default; }
            public Task<int> RunAsync() => Task.FromResult(_closed ? 0 : 1);
        }

        class Channel
        {
            private System.Net.Sockets.Socket? _socket;
            public virtual void Close() => _socket?.Dispose();
            public async Task CloseAsync() { _socket?.Dispose(); }
        }

        class Schema
        {
            private readonly List<string> _columns = new() { "id" };
            public virtual List<string> Columns() => _columns; // virtual: judged by its twin, not its body
            public Task<List<string>> ColumnsAsync(CancellationToken ct = default)
            {
                ct.ThrowIfCancellationRequested();
                return Task.FromResult(Columns());
            }
        }

        interface ISchemaSource { Schema Schema { get; } }

        class C
        {
            async Task<int> M(Channel channel, ISchemaSource source, CancellationToken ct)
            {
                using var command = new Command();
                var n = await command.RunAsync();
                channel.Close();
                return n + source.Schema.Columns().Count;
            }
        }
        """);

    // The look-alikes that really are async stay reported: a DisposeAsync that awaits, a twin that returns real work.
    [Fact]
    public Task CounterpartsThatReallyAwait_Trigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        sealed class Command : IDisposable, IAsyncDisposable
        {
            private readonly Stream _log = Stream.Null;
            public void Dispose() => _log.Flush();
            public async ValueTask DisposeAsync() => await _log.FlushAsync();
        }

        class Channel
        {
            private readonly Stream _stream = Stream.Null;
            public virtual void Close() => _stream.Flush();
            public Task CloseAsync() => _stream.FlushAsync();
        }

        class C
        {
            async Task M(Channel channel)
            {
                await Task.Yield();
                {|#0:using|} var command = new Command();
                {|#1:channel.Close()|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Synchronous disposal of 'Command'", "use 'await using' instead"),
        CONC003SynchronousIOTests.Twin(1, "Channel.Close", "CloseAsync"));

    // A reader whose loop awaited NextResultAsync (or ReadAsync with no way out but the condition) is at its end: its
    // synchronous Dispose reads nothing. One left with rows unread (a break) still reads them.
    [Fact]
    public Task DrainedReader_DoesNotTrigger_OneLeftWithRowsDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Data.Common;

        class C
        {
            async Task<int> CountAll(DbCommand command)
            {
                using var reader = await command.ExecuteReaderAsync();
                var n = 0;
                do { while (await reader.ReadAsync()) n++; } while (await reader.NextResultAsync());
                return n;
            }

            async Task<int> CountRows(DbCommand command)
            {
                using var reader = await command.ExecuteReaderAsync();
                var n = 0;
                while (await reader.ReadAsync().ConfigureAwait(false)) n++;
                return n;
            }

            async Task<int> First(DbCommand command)
            {
                {|#0:using|} var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    return reader.GetInt32(0);
                return 0;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Synchronous disposal of 'DbDataReader'", "use 'await using' instead"));

    // NPoco's shared sync/async path drains with sync ? r.NextResult() : await r.NextResultAsync(): in async code the
    // awaited arm runs, so the reader is at its end. A ReadAsync loop with a break under the same shape is not.
    [Fact]
    public Task ReaderDrainedOnTheSharedPath_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Data.Common;

        class C
        {
            async Task<int> All(DbCommand command, bool sync)
            {
                using var reader = sync ? command.ExecuteReader() : await command.ExecuteReaderAsync();
                var n = 0;
                do
                {
                    while (sync ? reader.Read() : await reader.ReadAsync()) n++;
                } while (sync ? reader.NextResult() : await reader.NextResultAsync().ConfigureAwait(false));
                return n;
            }

            async Task<int> UntilNegative(DbCommand command, bool sync)
            {
                {|#0:using|} var reader = sync ? command.ExecuteReader() : await command.ExecuteReaderAsync();
                var n = 0;
                while (sync ? reader.Read() : await reader.ReadAsync())
                {
                    if (reader.GetInt32(0) < 0) break;
                    n++;
                }
                return n;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Synchronous disposal of 'DbDataReader'", "use 'await using' instead"));

    // RepoDB's shape: the reader is drained by a helper — an async method reading to the end, or an async iterator
    // whose sequence the caller materializes (ToListAsync) or enumerates without a way out. A caller taking only the
    // first element, or a helper with a break, leaves rows unread: still reported.
    [Fact]
    public Task ReaderDrainedByAHelper_DoesNotTrigger_OneLeftWithRowsDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Data.Common;

        static class Rows
        {
            public static async IAsyncEnumerable<int> All(DbDataReader reader)
            {
                if (!reader.HasRows) yield break;
                while (await reader.ReadAsync())
                    yield return reader.GetInt32(0);
            }

            public static async IAsyncEnumerable<int> UpToZero(DbDataReader reader)
            {
                while (await reader.ReadAsync())
                {
                    if (reader.GetInt32(0) == 0) break;
                    yield return reader.GetInt32(0);
                }
            }

            public static async Task<int> Count(DbDataReader reader)
            {
                var n = 0;
                while (await reader.ReadAsync()) n++;
                return n;
            }
        }

        class C
        {
            async Task<List<int>> Materialized(DbCommand command)
            {
                using (var reader = await command.ExecuteReaderAsync())
                    return await Rows.All(reader).ToListAsync();
            }

            async Task<int> Enumerated(DbCommand command)
            {
                using var reader = await command.ExecuteReaderAsync();
                var sum = 0;
                await foreach (var value in Rows.All(reader))
                    sum += value;
                return sum;
            }

            async Task<int> Counted(DbCommand command)
            {
                using var reader = await command.ExecuteReaderAsync();
                return await Rows.Count(reader);
            }

            async Task<int> FirstOnly(DbCommand command)
            {
                {|#0:using|} var reader = await command.ExecuteReaderAsync();
                return await Rows.All(reader).FirstAsync();
            }

            async Task<List<int>> StoppedEarly(DbCommand command)
            {
                {|#1:using|} var reader = await command.ExecuteReaderAsync();
                return await Rows.UpToZero(reader).ToListAsync();
            }

            async Task<int> LeftTheLoop(DbCommand command)
            {
                {|#2:using|} var reader = await command.ExecuteReaderAsync();
                await foreach (var value in Rows.All(reader))
                    return value;
                return 0;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Synchronous disposal of 'DbDataReader'", "use 'await using' instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("Synchronous disposal of 'DbDataReader'", "use 'await using' instead"),
        VerifyCS.Diagnostic().WithLocation(2).WithArguments("Synchronous disposal of 'DbDataReader'", "use 'await using' instead"));

    // An enum that names the mode guards the shared path: the synchronous arm, the ternary's synchronous arm, and the
    // fall-through after an early return of the async path. An int mode says nothing: still reported.
    [Fact]
    public Task EnumModeGuards_SynchronousArm_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        enum IOBehavior { Synchronous, Asynchronous }

        class Wire
        {
            private readonly Stream _stream = Stream.Null;

            public async Task<int> ReadAsync(IOBehavior io, byte[] buffer) =>
                io == IOBehavior.Asynchronous ? await _stream.ReadAsync(buffer) : _stream.Read(buffer);

            public ValueTask WriteAsync(IOBehavior io, byte[] buffer)
            {
                if (io == IOBehavior.Asynchronous)
                    return _stream.WriteAsync(buffer);
                _stream.Write(buffer);
                return default;
            }

            public async Task FlushAsync(IOBehavior io)
            {
                if (io is IOBehavior.Synchronous)
                    _stream.Flush();
                else
                    await _stream.FlushAsync();
                if (io != IOBehavior.Asynchronous)
                    _stream.Flush();
            }

            public async Task FlushAsync(int mode)
            {
                if (mode == 1)
                    await _stream.FlushAsync();
                else
                    {|#0:_stream.Flush()|};
            }
        }
        """,
        CONC003SynchronousIOTests.Twin(0, "Stream.Flush", "FlushAsync"));

    // Disposing a NegotiateStream only releases the security context and closes the inner stream, as SslStream's does.
    [Fact]
    public Task NegotiateStreamDisposal_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Net;
        using System.Net.Security;

        class C
        {
            async Task M(Stream transport, string target)
            {
                using var negotiate = new NegotiateStream(transport, leaveInnerStreamOpen: true);
                await negotiate.AuthenticateAsClientAsync(CredentialCache.DefaultNetworkCredentials, target);
            }
        }
        """);

    // An async counterpart whose only await is of a method that itself runs synchronously (CloseAsync awaiting a
    // DisposeAsync that only disposes a socket) runs synchronously too.
    [Fact]
    public Task CounterpartAwaitingOnlySynchronousWork_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Connection : IAsyncDisposable
        {
            private System.Net.Sockets.Socket? _socket;
            public virtual void Close() => _socket?.Dispose();
            public async Task CloseAsync() { await DisposeAsync().ConfigureAwait(false); }
            public ValueTask DisposeAsync() { _socket?.Dispose(); return default; }
        }

        class C
        {
            async Task M(Connection connection, Stream stream, byte[] buffer)
            {
                if (await stream.ReadAsync(buffer) == 0)
                    connection.Close();
            }
        }
        """);

    // A stream that only counts bytes (MimeKit's MeasuringStream) does no I/O, like a MemoryStream.
    [Fact]
    public Task WritingIntoAMeasuringStream_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace MimeKit.IO
        {
            public class MeasuringStream : Stream
            {
                public override bool CanRead => false; public override bool CanSeek => false; public override bool CanWrite => true;
                public override long Length => 0; public override long Position { get; set; }
                public override void Flush() { } public override int Read(byte[] b, int o, int c) => 0;
                public override long Seek(long o, SeekOrigin s) => 0; public override void SetLength(long v) { }
                public override void Write(byte[] b, int o, int c) { }
            }
        }

        namespace App
        {
            public interface IMessage
            {
                void WriteTo(Stream stream);
                Task WriteToAsync(Stream stream, CancellationToken ct = default);
            }

            class C
            {
                async Task<long> Measure(IMessage message)
                {
                    await Task.Yield();
                    using var measure = new MimeKit.IO.MeasuringStream();
                    message.WriteTo(measure);
                    return measure.Length;
                }
            }
        }
        """);

    // A virtual method whose declared body does not block (it disposes a socket) is not reported by its sibling's
    // name: the visible body is the best knowledge there is. One whose body blocks is.
    [Fact]
    public Task VirtualMethodWhoseBodyDoesNotBlock_DoesNotTrigger_OneWhoseBodyBlocksDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Connection
        {
            private readonly System.Net.Sockets.Socket _socket = new(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            private readonly Stream _stream = Stream.Null;
            public virtual void Close() => _socket.Dispose();
            public virtual async Task CloseAsync() { await _stream.FlushAsync(); _socket.Dispose(); }
            public virtual void Flush() => _stream.Flush();
            public virtual Task FlushAsync() => _stream.FlushAsync();
        }

        class C
        {
            async Task M(Connection connection)
            {
                await Task.Yield();
                connection.Close();
                {|#0:connection.Flush()|};
            }
        }
        """,
        CONC003SynchronousIOTests.Twin(0, "Connection.Flush", "FlushAsync"));

    // The writer of an in-memory Pipe completes without I/O; a writer over a stream does not - unless it completes with
    // the caught exception (or a new one), which discards its buffer instead of flushing it.
    [Fact]
    public Task CompletingTheWriterOfAnInMemoryPipe_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.IO.Pipelines;

        class C
        {
            async Task Pump(Stream target)
            {
                var pipe = new Pipe();
                var writer = pipe.Writer;
                try { await pipe.Reader.CopyToAsync(target); }
                catch (Exception ex) { pipe.Writer.Complete(ex); writer.Complete(ex); throw; }
            }

            async Task ToStream(Stream target)
            {
                var writer = PipeWriter.Create(target);
                await Task.Yield();
                {|#0:writer.Complete()|};
            }

            async Task CopyTo(PipeWriter writer, Stream source)
            {
                Exception? failure = null;
                try { await source.CopyToAsync(writer); }
                catch (OperationCanceledException) when (failure is null) { writer.Complete(new OperationCanceledException()); }
                catch (Exception ex) { writer.Complete(ex); throw; }
            }
        }
        """,
        CONC003SynchronousIOTests.Twin(0, "PipeWriter.Complete", "CompleteAsync"));

    // A field check on a cache/database client: the call goes through an interface (IBucket.Scope) whose twin
    // ScopeAsync every implementation in the compilation writes as a wrapper of the sync lookup - directly, after a
    // guard or a log line, or by forwarding to another such wrapper. Awaiting it would free no thread.
    [Fact]
    public Task InterfaceTwinsWhoseImplementationsAllWrapTheSyncCall_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        interface ICollection { }
        interface IScope
        {
            ICollection Collection(string name);
            ValueTask<ICollection> CollectionAsync(string name);
        }
        interface IBucket
        {
            IScope Scope(string name);
            ValueTask<IScope> ScopeAsync(string name);
            IScope DefaultScope();
            ValueTask<IScope> DefaultScopeAsync();
            ICollection DefaultCollection();
            ValueTask<ICollection> DefaultCollectionAsync();
        }

        sealed class Collection : ICollection { }

        sealed class Scope : IScope
        {
            private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ICollection> _collections = new();
            public ICollection Collection(string name) => _collections.GetOrAdd(name, _ => new Collection());
            public ValueTask<ICollection> CollectionAsync(string name)
            {
                Console.WriteLine(name);
                return new ValueTask<ICollection>(Collection(name));
            }
        }

        abstract class BucketBase : IBucket
        {
            public virtual IScope Scope(string name) => new Scope();
            public ValueTask<IScope> ScopeAsync(string name) { return new(Scope(name)); }
            public IScope DefaultScope() => Scope("_default");
            public ValueTask<IScope> DefaultScopeAsync() { return ScopeAsync("_default"); }
            public ICollection DefaultCollection() => DefaultScope().Collection("_default");
            public ValueTask<ICollection> DefaultCollectionAsync() { return CollectionAsync("_default"); }
            // async, but every await is of something that runs synchronously (the last one through IScope).
            public async ValueTask<ICollection> CollectionAsync(string name)
            {
                var scope = await DefaultScopeAsync().ConfigureAwait(false);
                return await scope.CollectionAsync(name).ConfigureAwait(false);
            }
        }

        sealed class Bucket : BucketBase { }

        sealed class RemoteBucket : IBucket
        {
            private bool _disposed;
            public IScope Scope(string name) => new Scope();
            public ValueTask<IScope> ScopeAsync(string name)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(RemoteBucket));
                return ValueTask.FromResult(Scope(name));
            }
            public IScope DefaultScope() => Scope("_default");
            public ValueTask<IScope> DefaultScopeAsync() => ScopeAsync("_default");
            public ICollection DefaultCollection() => DefaultScope().Collection("_default");
            public ValueTask<ICollection> DefaultCollectionAsync() => ValueTask.FromResult(DefaultCollection());
        }

        class C
        {
            async Task<ICollection> M(IBucket bucket)
            {
                await Task.Yield();
                var scope = bucket.Scope("inventory");
                var fallback = bucket.DefaultScope();
                return scope.Collection("items") ?? fallback.Collection("items") ?? bucket.DefaultCollection();
            }
        }
        """);

    // The look-alikes: one implementation that really awaits keeps the twin a counterpart, and so does an interface
    // with no implementation in the compilation (a library's abstraction, implemented elsewhere).
    [Fact]
    public Task InterfaceTwinsWithARealImplementationOrNoneInSource_Trigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        interface IScope { }
        interface IBucket
        {
            IScope Scope(string name);
            ValueTask<IScope> ScopeAsync(string name);
        }
        interface IRemoteCatalog
        {
            string Lookup(string key);
            Task<string> LookupAsync(string key);
        }

        sealed class Scope : IScope { }

        sealed class CachedBucket : IBucket
        {
            public IScope Scope(string name) => new Scope();
            public ValueTask<IScope> ScopeAsync(string name) => new(Scope(name));
        }

        sealed class NetworkBucket : IBucket
        {
            private readonly Stream _connection = Stream.Null;
            public IScope Scope(string name) { _connection.Flush(); return new Scope(); }
            public async ValueTask<IScope> ScopeAsync(string name)
            {
                await _connection.FlushAsync();
                return new Scope();
            }
        }

        class C
        {
            async Task<string> M(IBucket bucket, IRemoteCatalog catalog)
            {
                await Task.Yield();
                var scope = {|#0:bucket.Scope("inventory")|};
                return {|#1:catalog.Lookup("price")|} + scope;
            }
        }
        """,
        CONC003SynchronousIOTests.Twin(0, "IBucket.Scope", "ScopeAsync"),
        CONC003SynchronousIOTests.Twin(1, "IRemoteCatalog.Lookup", "LookupAsync"));

    // Newtonsoft.Json's JsonReader (here a stand-in: the real one is metadata whose DisposeAsync wraps Dispose) closes
    // its input on disposal and writes nothing; 'await using' would run the same synchronous close. A JsonWriter,
    // whose disposal flushes, stays reported.
    [Fact]
    public Task UsingOfANewtonsoftJsonReader_DoesNotTrigger_AWriterDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace Newtonsoft.Json
        {
            public abstract class JsonReader : IDisposable, IAsyncDisposable
            {
                public void Dispose() { }
                public async ValueTask DisposeAsync() => await Task.Yield();
                public Task<bool> ReadAsync(CancellationToken ct = default) => Task.FromResult(false);
            }
            public class JsonTextReader : JsonReader { public JsonTextReader(TextReader reader) { } }
            public abstract class JsonWriter : IDisposable, IAsyncDisposable
            {
                private readonly Stream _out = Stream.Null;
                public void Dispose() => _out.Flush();
                public async ValueTask DisposeAsync() => await _out.FlushAsync();
            }
            public class JsonTextWriter : JsonWriter { public JsonTextWriter(TextWriter writer) { } }
        }

        class C
        {
            async Task M(Stream input, Stream output, CancellationToken ct)
            {
                using var reader = new Newtonsoft.Json.JsonTextReader(new StreamReader(input));
                while (await reader.ReadAsync(ct)) { }
                {|#0:using|} var writer = new Newtonsoft.Json.JsonTextWriter(new StreamWriter(output));
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Synchronous disposal of 'JsonTextWriter'", "use 'await using' instead"));

    // A pluggable serializer's sync pair over bytes already in memory converts on the calling thread: CPU work, not a
    // wait. The same names over a stream, or a Deserialize(string) that may take a path, are still I/O.
    [Fact]
    public Task SerializersOverInMemoryBuffers_DoNotTrigger_OverStreamsDo() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        public interface ICacheSerializer
        {
            byte[] Serialize<T>(T value);
            T? Deserialize<T>(byte[] data);
            T? DeserializeFrom<T>(ReadOnlyMemory<byte> data);
            void Serialize<T>(System.Buffers.IBufferWriter<byte> output, T value);
            ValueTask<byte[]> SerializeAsync<T>(T value, CancellationToken token = default);
            ValueTask<T?> DeserializeAsync<T>(byte[] data, CancellationToken token = default);
            ValueTask<T?> DeserializeFromAsync<T>(ReadOnlyMemory<byte> data, CancellationToken token = default);
            ValueTask SerializeAsync<T>(System.Buffers.IBufferWriter<byte> output, T value, CancellationToken token = default);
        }

        public interface IStreamSerializer
        {
            T? Deserialize<T>(Stream input);
            Task<T?> DeserializeAsync<T>(Stream input, CancellationToken token = default);
            T? Deserialize<T>(string source);
            Task<T?> DeserializeAsync<T>(string source, CancellationToken token = default);
        }

        class C
        {
            async Task<int> InMemory(ICacheSerializer serializer, byte[] payload, System.Buffers.ArrayBufferWriter<byte> output)
            {
                await Task.Yield();
                var value = serializer.Deserialize<int>(payload);
                var again = serializer.DeserializeFrom<int>(payload.AsMemory());
                serializer.Serialize(output, value);
                return value + again + serializer.Serialize(value).Length;
            }

            async Task<int> Streamed(IStreamSerializer serializer, Stream input, string source)
            {
                await Task.Yield();
                return {|#0:serializer.Deserialize<int>(input)|} + {|#1:serializer.Deserialize<int>(source)|};
            }
        }
        """,
        CONC003SynchronousIOTests.Twin(0, "IStreamSerializer.Deserialize", "DeserializeAsync"),
        CONC003SynchronousIOTests.Twin(1, "IStreamSerializer.Deserialize", "DeserializeAsync"));

    // TimeProvider.CreateTimer's ITimer is IAsyncDisposable, but disposing it only stops the timer, as Timer's does. A
    // user's own async-disposable handle is still reported.
    [Fact]
    public Task DisposingAnITimer_DoesNotTrigger_AnAsyncDisposableHandleDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        public interface IHandle : IDisposable, IAsyncDisposable { }

        class C
        {
            async Task M(TimeProvider time, IHandle handle)
            {
                var timer = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), TimeSpan.Zero);
                await Task.Yield();
                timer.Dispose();
                {|#0:handle.Dispose()|};
            }
        }
        """,
        CONC003SynchronousIOTests.Twin(0, "IDisposable.Dispose", "DisposeAsync"));
}
