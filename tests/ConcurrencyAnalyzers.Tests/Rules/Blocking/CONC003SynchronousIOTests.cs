using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC003SynchronousIOAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC003SynchronousIOCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

public class CONC003SynchronousIOTests
{
    internal static Microsoft.CodeAnalysis.Testing.DiagnosticResult Twin(int location, string what, string twin) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments("'" + what + "'", "await '" + twin + "' instead");

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Using(int location, string type) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments("Synchronous disposal of '" + type + "'", "use 'await using' instead");

    // ---- What fires ----

    [Fact]
    public Task FileReadAllText_Triggers_FixAwaitsTwinWithToken() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(string path, CancellationToken cancellationToken)
            {
                var text = {|#0:File.ReadAllText(path)|};
                return text.Length;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(string path, CancellationToken cancellationToken)
            {
                var text = await File.ReadAllTextAsync(path, cancellationToken);
                return text.Length;
            }
        }
        """,
        Twin(0, "File.ReadAllText", "ReadAllTextAsync"));

    [Fact]
    public Task StreamRead_Triggers_FixAwaitsReadAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Stream stream, byte[] buffer)
            {
                return {|#0:stream.Read(buffer, 0, buffer.Length)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Stream stream, byte[] buffer)
            {
                return await stream.ReadAsync(buffer, 0, buffer.Length);
            }
        }
        """,
        Twin(0, "Stream.Read", "ReadAsync"));

    [Fact]
    public Task StreamReaderReadToEnd_InTaskReturningMethod_FixMakesItAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            public Task<string> Load(StreamReader reader)
            {
                return Task.FromResult({|#0:reader.ReadToEnd()|}.Trim());
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            public async Task<string> Load(StreamReader reader)
            {
                return (await reader.ReadToEndAsync()).Trim();
            }
        }
        """,
        Twin(0, "StreamReader.ReadToEnd", "ReadToEndAsync"));

    [Fact]
    public Task UserRepositoryTwin_Triggers() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Repository
        {
            public virtual void Save(string item) { } // virtual: the body that runs is not known here, the name decides
            public virtual Task SaveAsync(string item, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class Service
        {
            private readonly Repository _repository = new();

            public async Task Handle(string item, CancellationToken ct)
            {
                {|#0:_repository.Save(item)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class Repository
        {
            public virtual void Save(string item) { } // virtual: the body that runs is not known here, the name decides
            public virtual Task SaveAsync(string item, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class Service
        {
            private readonly Repository _repository = new();

            public async Task Handle(string item, CancellationToken ct)
            {
                await _repository.SaveAsync(item, ct);
            }
        }
        """,
        Twin(0, "Repository.Save", "SaveAsync"));

    [Fact]
    public Task ExtensionMethodTwin_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Connection
        {
            public virtual int Query(string sql) => 0;
            public virtual Task<int> RunAsync(string sql) => Task.FromResult(0);
        }

        static class ConnectionExtensions
        {
            public static Task<int> QueryAsync(this Connection connection, string sql) => connection.RunAsync(sql);
        }

        class Service
        {
            async Task<int> M(Connection connection) => {|#0:connection.Query("select 1")|};
        }
        """,
        Twin(0, "Connection.Query", "QueryAsync"));

    [Fact]
    public Task HttpClientSendAndProcessWait_Trigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(System.Net.Http.HttpClient client, System.Net.Http.HttpRequestMessage request, System.Diagnostics.Process process)
            {
                using var response = {|#0:client.Send(request)|};
                {|#1:process.WaitForExit()|};
            }
        }
        """,
        Twin(0, "HttpClient.Send", "SendAsync"),
        Twin(1, "Process.WaitForExit", "WaitForExitAsync"));

    [Fact]
    public Task DbCommandExecute_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(System.Data.Common.DbCommand command, System.Data.Common.DbDataReader reader)
            {
                var rows = {|#0:command.ExecuteNonQuery()|};
                while ({|#1:reader.Read()|})
                    rows += reader.IsDBNull(0) ? 0 : reader.GetFieldValue<int>(0);
                return rows;
            }
        }
        """,
        Twin(0, "DbCommand.ExecuteNonQuery", "ExecuteNonQueryAsync"),
        Twin(1, "DbDataReader.Read", "ReadAsync"));

    [Fact]
    public Task UsingOfFileStream_Triggers_FixAwaitUsing() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(string path, byte[] data)
            {
                {|#0:using|} var stream = new FileStream(path, FileMode.Create);
                await stream.WriteAsync(data);
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(string path, byte[] data)
            {
                await using var stream = new FileStream(path, FileMode.Create);
                await stream.WriteAsync(data);
            }
        }
        """,
        Using(0, "FileStream"));

    [Fact]
    public Task UsingStatementOfStreamWriter_Triggers_FixAwaitUsing() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(string path)
            {
                {|#0:using|} (var writer = new StreamWriter(path))
                {
                    await writer.WriteLineAsync("x");
                }
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(string path)
            {
                await using (var writer = new StreamWriter(path))
                {
                    await writer.WriteLineAsync("x");
                }
            }
        }
        """,
        Using(0, "StreamWriter"));

    [Fact]
    public Task ConfiguredBlockingApiWithoutTwin_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class LegacyClient
        {
            public string Fetch(string key) => key;
        }

        class C
        {
            async Task<string> M(LegacyClient client)
            {
                await Task.Yield();
                return {|#0:client.Fetch("k")|};
            }
        }
        """,
        "concurrency_analyzers.additional_blocking_apis = M:LegacyClient.Fetch(System.String)\n",
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'LegacyClient.Fetch'",
            "it is listed in concurrency_analyzers.additional_blocking_apis; use an async alternative or move it off the async path"));

    // A listed API without a twin gets the offloading action: the call moves to the runtime's blocking executor.
    [Fact]
    public Task ConfiguredBlockingApiWithoutTwin_FixOffloadsToTheBlockingExecutor() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class LegacyClient
        {
            public string Fetch(string key) => key;
        }

        class C
        {
            async Task<string> M(LegacyClient client, CancellationToken ct)
            {
                await Task.Yield();
                return {|#0:client.Fetch("k")|};
            }
        }
        """,
        /* lang=c#-test */ """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using ConcurrencyAnalyzers.Runtime;
        class LegacyClient
        {
            public string Fetch(string key) => key;
        }

        class C
        {
            async Task<string> M(LegacyClient client, CancellationToken ct)
            {
                await Task.Yield();
                return await ThreadExecutor.Blocking.RunAsync(() => client.Fetch("k"), ct);
            }
        }
        """,
        "concurrency_analyzers.additional_blocking_apis = M:LegacyClient.Fetch(System.String)\n",
        ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC003SynchronousIOCodeFix.OffloadEquivalenceKey,
        fixedHasUsings: true,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'LegacyClient.Fetch'",
            "it is listed in concurrency_analyzers.additional_blocking_apis; use an async alternative or move it off the async path"));

    // The offload is refused where the call cannot move into a lambda: it contains an await, or it is in a struct.
    [Fact]
    public Task ConfiguredBlockingApi_CallThatCannotMoveIntoALambda_NoOffload() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class LegacyClient
        {
            public string Fetch(string key) => key;
        }

        struct Cursor
        {
            private LegacyClient _client;

            async Task<string> Next(Task<string> key)
            {
                await Task.Yield();
                return {|#1:_client.Fetch("k")|};
            }
        }

        class C
        {
            async Task<string> M(LegacyClient client, Task<string> key)
            {
                return {|#0:client.Fetch(await key)|};
            }
        }
        """,
        "concurrency_analyzers.additional_blocking_apis = T:LegacyClient\n",
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'LegacyClient.Fetch'",
            "it is listed in concurrency_analyzers.additional_blocking_apis; use an async alternative or move it off the async path"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("'LegacyClient.Fetch'",
            "it is listed in concurrency_analyzers.additional_blocking_apis; use an async alternative or move it off the async path"));

    // offload_target = bcl: the same action writes Task.Run, and the light bulb says so.
    [Fact]
    public Task ConfiguredBlockingApi_OffloadTargetBcl_FixUsesTaskRun() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class LegacyClient
        {
            public void Store(string key) { }
        }

        class C
        {
            async Task M(LegacyClient client)
            {
                await Task.Yield();
                {|#0:client.Store("k")|};
            }
        }
        """,
        /* lang=c#-test */ """
        class LegacyClient
        {
            public void Store(string key) { }
        }

        class C
        {
            async Task M(LegacyClient client)
            {
                await Task.Yield();
                await Task.Run(() => client.Store("k"));
            }
        }
        """,
        "concurrency_analyzers.additional_blocking_apis = T:LegacyClient\nconcurrency_analyzers.offload_target = bcl\n",
        ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC003SynchronousIOCodeFix.OffloadEquivalenceKey,
        fixedHasUsings: false,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'LegacyClient.Store'",
            "it is listed in concurrency_analyzers.additional_blocking_apis; use an async alternative or move it off the async path"));

    // List<T>.Find/Exists/ConvertAll… run their lambda before they return, like LINQ: the lambda is on the async path.
    [Fact]
    public Task SyncIOInAListFindLambda_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<string?> M(List<string> paths)
            {
                await Task.Yield();
                return paths.Find(p => {|#0:File.ReadAllText(p)|}.Length > 0);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'File.ReadAllText'", "await 'ReadAllTextAsync' instead"));

    // Calls written with ?. are calls: reported, and fixed keeping the ?. (one evaluation of the receiver).
    [Fact]
    public Task ConditionalAccessCalls_Trigger_FixKeepsTheNullCheck() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(TextWriter? writer, Stream? stream, FileStream? file, CancellationToken ct)
            {
                await Task.Yield();
                writer?.WriteLine("done");
                stream?.Flush();
                file?.Dispose();
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(TextWriter? writer, Stream? stream, FileStream? file, CancellationToken ct)
            {
                await Task.Yield();
                await (writer?.WriteLineAsync("done") ?? Task.CompletedTask);
                await (stream?.FlushAsync(ct) ?? Task.CompletedTask);
                await (file?.DisposeAsync() ?? default);
            }
        }
        """,
        // The diagnostic covers the call after the ?. (the invocation the compiler binds).
        VerifyCS.Diagnostic().WithSpan(12, 16, 12, 34).WithArguments("'TextWriter.WriteLine'", "await 'WriteLineAsync' instead"),
        VerifyCS.Diagnostic().WithSpan(13, 16, 13, 24).WithArguments("'Stream.Flush'", "await 'FlushAsync' instead"),
        VerifyCS.Diagnostic().WithSpan(14, 14, 14, 24).WithArguments("'Stream.Dispose'", "await 'DisposeAsync' instead"));

    [Fact]
    public Task ConditionalAccessCallWhoseValueIsUsed_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Stream? stream, byte[] buffer)
            {
                await Task.Yield();
                return stream?.Read(buffer, 0, buffer.Length) ?? 0;
            }
        }
        """,
        VerifyCS.Diagnostic().WithSpan(12, 23, 12, 54).WithArguments("'Stream.Read'", "await 'ReadAsync' instead"));

    // A twin is the counterpart, not merely something that binds.
    [Fact]
    public Task TwinsThatAreNotCounterparts_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using static Helpers;

        static class Helpers
        {
            public static Task LoadAsync() => Task.CompletedTask;
        }

        class Cursor
        {
            public void Seek(long position) { }
            public Task SeekAsync(double position) => Task.CompletedTask; // long -> double loses precision

            public int Read() => 1;
            public ValueTask<int> ReadAsync() => new(Read()); // only wraps the sync call

            public string Text() => "t";
            public Task<string> TextAsync() => Task.FromResult(Text());

            public void Flush() { }
            public Task FlushAsync() { Flush(); return Task.CompletedTask; }
        }

        class C
        {
            void Load() { }

            async Task M(Cursor cursor)
            {
                await Task.Yield();
                Load(); // LoadAsync is Helpers', found only through using static
                cursor.Seek(42L);
                cursor.Read();
                cursor.Text();
                cursor.Flush();
            }
        }
        """);

    [Fact]
    public Task TwinsThatAreCounterparts_Trigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Cursor
        {
            private readonly Stream _stream = Stream.Null;

            public virtual void Seek(int position) { }
            public virtual Task SeekAsync(long position) => Task.CompletedTask; // int -> long is exact

            public virtual int Read() { var b = new byte[1]; return _stream.Read(b, 0, 1); }
            public async ValueTask<int> ReadAsync() { var b = new byte[1]; return await _stream.ReadAsync(b); }
        }

        class C
        {
            protected virtual void Load() { }
            protected virtual Task LoadAsync() => Task.CompletedTask;

            async Task M(Cursor cursor)
            {
                await Task.Yield();
                {|#0:Load()|};
                {|#1:cursor.Seek(42)|};
                {|#2:cursor.Read()|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'C.Load'", "await 'LoadAsync' instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("'Cursor.Seek'", "await 'SeekAsync' instead"),
        VerifyCS.Diagnostic().WithLocation(2).WithArguments("'Cursor.Read'", "await 'ReadAsync' instead"));

    // An in argument is passed by value to the twin (async methods take no in parameters): bound and fixed without it.
    [Fact]
    public Task CallWithAnInArgument_Triggers_FixDropsTheModifier() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        readonly struct Packet { public readonly int Size; }

        class Channel
        {
            public virtual void Send(in Packet packet) { }
            public virtual Task SendAsync(Packet packet, CancellationToken ct = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Channel channel, Packet packet, CancellationToken ct)
            {
                await Task.Yield();
                {|#0:channel.Send(in packet)|};
            }
        }
        """,
        /* lang=c#-test */ """
        readonly struct Packet { public readonly int Size; }

        class Channel
        {
            public virtual void Send(in Packet packet) { }
            public virtual Task SendAsync(Packet packet, CancellationToken ct = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Channel channel, Packet packet, CancellationToken ct)
            {
                await Task.Yield();
                await channel.SendAsync(packet, ct);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'Channel.Send'", "await 'SendAsync' instead"));

    // Twins with another name: Ping.Send -> SendPingAsync, WebClient.DownloadString -> DownloadStringTaskAsync.
    [Fact]
    public Task RenamedTwin_Triggers_FixAwaitsIt() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<long> M(System.Net.NetworkInformation.Ping ping, string host)
            {
                await Task.Yield();
                var reply = {|#0:ping.Send(host)|};
                return reply.RoundtripTime;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<long> M(System.Net.NetworkInformation.Ping ping, string host)
            {
                await Task.Yield();
                var reply = await ping.SendPingAsync(host);
                return reply.RoundtripTime;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'Ping.Send'", "await 'SendPingAsync' instead"));

    // From a field check on a database driver: inside WriteAsync, a base class's Write is the counterpart pair, not a
    // missed await; and disposing a TLS or network stream only closes the socket, DisposeAsync included.
    [Fact]
    public Task InheritedSyncHalfAndSocketStreamDisposal_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        abstract class Converter<T>
        {
            public abstract T Read(Stream stream);
            public abstract ValueTask<T> ReadAsync(Stream stream, CancellationToken ct = default);
        }

        abstract class BufferedConverter<T> : Converter<T>
        {
            public override ValueTask<T> ReadAsync(Stream stream, CancellationToken ct = default) => new(Read(stream));
        }

        class C
        {
            async Task M(System.Net.Security.SslStream? tls, System.Net.Sockets.NetworkStream network)
            {
                await Task.Yield();
                tls?.Dispose();
                network.Dispose();
            }
        }
        """);

    // Microsoft.Data.Sqlite documents its async methods as synchronous: their twins free no thread.
    [Fact]
    public Task SqliteCalls_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace Microsoft.Data.Sqlite
        {
            public class SqliteCommand : IDisposable, IAsyncDisposable
            {
                public int ExecuteNonQuery() => 0;
                public Task<int> ExecuteNonQueryAsync() => Task.FromResult(0);
                public void Dispose() { }
                public ValueTask DisposeAsync() => default;
            }
        }

        class C
        {
            async Task<int> M()
            {
                await Task.Yield();
                using var command = new Microsoft.Data.Sqlite.SqliteCommand();
                return command.ExecuteNonQuery();
            }
        }
        """);

    // await using binds to a public DisposeAsync() without IAsyncDisposable: a sync using of such a type misses it.
    [Fact]
    public Task UsingOfATypeWithAPatternDisposeAsync_Triggers_FixAwaitUsing() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Batch : IDisposable
        {
            private readonly Stream _stream = Stream.Null;
            public void Dispose() => _stream.Flush();
            public async ValueTask DisposeAsync() => await _stream.FlushAsync();
        }

        class C
        {
            async Task M()
            {
                await Task.Yield();
                {|#0:using|} var batch = new Batch();
            }
        }
        """,
        /* lang=c#-test */ """
        class Batch : IDisposable
        {
            private readonly Stream _stream = Stream.Null;
            public void Dispose() => _stream.Flush();
            public async ValueTask DisposeAsync() => await _stream.FlushAsync();
        }

        class C
        {
            async Task M()
            {
                await Task.Yield();
                await using var batch = new Batch();
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Synchronous disposal of 'Batch'", "use 'await using' instead"));

    [Fact]
    public Task SyncIOInLinqLambdaOfAsyncMethod_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<string[]> M(string[] paths)
            {
                await Task.Yield();
                return paths.Select(p => {|#0:File.ReadAllText(p)|}).ToArray();
            }
        }
        """,
        Twin(0, "File.ReadAllText", "ReadAllTextAsync"));

    [Fact]
    public Task FixAll_FixesCallsAndUsingsInOneMethod() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task Copy(string from, string to, CancellationToken ct)
            {
                var text = {|#0:File.ReadAllText(from)|};
                {|#1:using|} var writer = new StreamWriter(to);
                {|#2:writer.Write(text)|};
                return Task.CompletedTask;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task Copy(string from, string to, CancellationToken ct)
            {
                var text = await File.ReadAllTextAsync(from, ct);
                await using var writer = new StreamWriter(to);
                await writer.WriteAsync(text);
            }
        }
        """,
        Twin(0, "File.ReadAllText", "ReadAllTextAsync"),
        Using(1, "StreamWriter"),
        Twin(2, "StreamWriter.Write", "WriteAsync"));

    [Fact]
    public Task TopLevelStatementsWithAwait_Trigger_FixAwaits() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        {|#0:File.WriteAllText("a.txt", "x")|};
        await Task.Yield();
        """,
        /* lang=c#-test */ """
        await File.WriteAllTextAsync("a.txt", "x");
        await Task.Yield();
        """,
        true,
        Twin(0, "File.WriteAllText", "WriteAllTextAsync"));

    [Fact]
    public Task TopLevelStatementsWithoutAwait_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        File.WriteAllText("a.txt", "x");
        """);

    // ---- What must not fire ----

    [Fact]
    public Task InMemoryStreamsAndStringReaders_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(byte[] data)
            {
                await Task.Yield();
                var memory = new MemoryStream();
                memory.Write(data, 0, data.Length);
                Stream alsoMemory = new MemoryStream();
                alsoMemory.Write(data, 0, data.Length);
                alsoMemory.Flush();
                var text = new StringReader("x").ReadToEnd();
                var writer = new StringWriter();
                writer.Write(text);
                System.Text.Json.JsonSerializer.Serialize(memory, 42);
                using var ms = new MemoryStream();
            }
        }
        """);

    [Fact]
    public Task ReadersAndWritersOverInMemoryStreams_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<string> Csv(IEnumerable<string> rows)
            {
                await Task.Yield();
                using var buffer = new MemoryStream();
                using var writer = new StreamWriter(buffer);
                foreach (var row in rows)
                    writer.WriteLine(row);
                writer.Flush();
                using var reader = new StreamReader(new MemoryStream(buffer.ToArray()));
                var bufferWriter = new System.Buffers.ArrayBufferWriter<byte>();
                using var json = new System.Text.Json.Utf8JsonWriter(bufferWriter);
                json.WriteStartObject();
                json.WriteEndObject();
                json.Flush();
                using var zip = new System.IO.Compression.GZipStream(new MemoryStream(), System.IO.Compression.CompressionLevel.Fastest);
                zip.Write(new byte[1]);
                return reader.ReadToEnd();
            }
        }
        """);

    [Fact]
    public Task WriterOverAFileStream_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(string path)
            {
                await Task.Yield();
                {|#0:using|} var writer = new StreamWriter(File.Create(path));
                {|#1:writer.WriteLine("x")|};
            }
        }
        """,
        Using(0, "StreamWriter"),
        Twin(1, "StreamWriter.WriteLine", "WriteLineAsync"));

    // The other direction: an in-memory source copied into a real stream writes the destination.
    [Fact]
    public Task CopyFromMemoryIntoAFile_Triggers_ButNotIntoMemory() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(FileStream file, byte[] data)
            {
                await Task.Yield();
                using var memory = new MemoryStream(data);
                {|#0:memory.CopyTo(file)|};
                memory.CopyTo(new MemoryStream());
            }
        }
        """,
        Twin(0, "Stream.CopyTo", "CopyToAsync"));

    // Held as the ADO.NET abstraction, the provider behind it overrides DisposeAsync where disposal talks to the server
    // (a connection returns to the pool, an undrained reader reads out its rows, a live transaction rolls back): a sync
    // using misses it. A concrete type that inherits only the base class's synchronous fallback does not, and neither
    // do commands and batches, whose disposal only releases client-side state in the providers users run.
    [Fact]
    public Task UsingOfAnAdoNetAbstraction_Triggers_ButNotAConcreteTypeWithTheSyncFallback() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Data.Common;

        abstract class PlainConnection : DbConnection { }

        class C
        {
            async Task M(Func<DbConnection> open, Func<PlainConnection> openPlain, Func<DbTransaction> begin)
            {
                await Task.Yield();
                {|#0:using|} var connection = open();
                using var plain = openPlain();
                {|#1:using|} var transaction = begin();
                using var command = connection.CreateCommand();
                using var batch = connection.CreateBatch();
                {|#2:using|} var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
            }
        }
        """,
        Using(0, "DbConnection"),
        Using(1, "DbTransaction"),
        Using(2, "DbDataReader"));

    [Fact]
    public Task CopyFromAFileIntoMemory_StillTriggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<byte[]> M(FileStream file)
            {
                await Task.Yield();
                using var memory = new MemoryStream();
                {|#0:file.CopyTo(memory)|};
                return memory.ToArray();
            }
        }
        """,
        Twin(0, "Stream.CopyTo", "CopyToAsync"));

    [Fact]
    public Task ConsoleWrites_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M()
            {
                await Task.Yield();
                Console.WriteLine("x");
                Console.Out.WriteLine("x");
                Console.Error.Write("x");
                Console.Out.Flush();
            }
        }
        """);

    [Fact]
    public Task DbDataReaderFieldAccessAndCancel_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(System.Data.Common.DbDataReader reader, CancellationTokenSource cts)
            {
                await Task.Yield();
                cts.Cancel();
                return reader.IsDBNull(0) ? 0 : reader.GetFieldValue<int>(0);
            }
        }
        """);

    [Fact]
    public Task EfAddAndCreateDbContext_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace Microsoft.EntityFrameworkCore
        {
            public class DbContext
            {
                public void Add(object entity) { }
                public ValueTask AddAsync(object entity) => default;
                public void AddRange(params object[] entities) { }
                public Task AddRangeAsync(params object[] entities) => Task.CompletedTask;
            }

            public interface IDbContextFactory<T>
            {
                T CreateDbContext();
                Task<T> CreateDbContextAsync(CancellationToken cancellationToken = default);
            }
        }

        class C
        {
            async Task M(Microsoft.EntityFrameworkCore.IDbContextFactory<Microsoft.EntityFrameworkCore.DbContext> factory)
            {
                await Task.Yield();
                var db = factory.CreateDbContext();
                db.Add(new object());
                db.AddRange(new object());
            }
        }
        """);

    [Fact]
    public Task AssertionLibraries_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace Xunit
        {
            public static class Assert
            {
                public static void That(bool condition) { }
                public static Task ThatAsync(bool condition) => Task.CompletedTask;
            }
        }

        class C
        {
            async Task M()
            {
                await Task.Yield();
                Xunit.Assert.That(true);
            }
        }
        """);

    // The exemption is by the library's namespace, not by a type-name suffix: a user's own *Assert type that reads a
    // file is I/O. (Until the core issue, any type named ...Assert was exempt.)
    [Fact]
    public Task UserTypeNamedLikeAnAssertion_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace Licensing
        {
            public interface ILicenseAssert
            {
                string Load(string path);
                Task<string> LoadAsync(string path);
            }
        }

        class C
        {
            async Task<string> M(Licensing.ILicenseAssert licenses, string path)
            {
                await Task.Yield();
                return {|#0:licenses.Load(path)|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'ILicenseAssert.Load'", "await 'LoadAsync' instead"));

    // EF Core's factory is exempt by symbol; any other type's CreateDbContext is judged like every call.
    [Fact]
    public Task CreateDbContextOfAnUnrelatedType_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class ContextLoader
        {
            public virtual object CreateDbContext() => File.ReadAllText("ctx.json");
            public async Task<object> CreateDbContextAsync() => await File.ReadAllTextAsync("ctx.json");
        }

        class C
        {
            async Task<object> M(ContextLoader loader)
            {
                await Task.Yield();
                return {|#0:loader.CreateDbContext()|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'ContextLoader.CreateDbContext'", "await 'CreateDbContextAsync' instead"));

    [Fact]
    public Task FluentValidationAndMocks_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace FluentValidation
        {
            public class ValidationResult { public bool IsValid => true; }
            public interface IValidator { }
            public interface IValidator<T> : IValidator { }
            public abstract class AbstractValidator<T> : IValidator<T>
            {
                public ValidationResult Validate(T instance) => new();
                public Task<ValidationResult> ValidateAsync(T instance, CancellationToken cancellation = default) => Task.FromResult(new ValidationResult());
            }
        }

        namespace Moq
        {
            public class Setup<T>
            {
                public void Returns(T value) { }
                public Task ReturnsAsync(T value) => Task.CompletedTask;
            }
        }

        class OrderValidator : FluentValidation.AbstractValidator<string> { }

        class C
        {
            async Task<bool> M(OrderValidator validator, Moq.Setup<int> setup)
            {
                await Task.Yield();
                setup.Returns(1);
                return validator.Validate("order").IsValid;
            }
        }
        """);

    [Fact]
    public Task XmlReaderAndWriter_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(System.Xml.XmlReader reader, System.Xml.XmlWriter writer)
            {
                await Task.Yield();
                while (reader.Read()) { }
                writer.WriteStartElement("a");
                writer.Flush();
            }
        }
        """);

    [Fact]
    public Task TwinThatDoesNotBind_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Store
        {
            public int Load(int id) => id;
            public Task<int> LoadAsync(string name) => Task.FromResult(0);
            public int Count() => 0;
            public Task<string> CountAsync() => Task.FromResult("");
            public IEnumerable<int> Items() => new int[0];
            public IAsyncEnumerable<int> ItemsAsync() => null!;
        }

        class C
        {
            async Task<int> M(Store store)
            {
                await Task.Yield();
                var value = System.Text.Json.JsonSerializer.Deserialize<int>("1");
                foreach (var i in store.Items()) value += i;
                return store.Load(1) + store.Count() + value;
            }
        }
        """);

    [Fact]
    public Task ObsoleteTwin_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Store
        {
            public void Flush() { }
            [Obsolete("use Flush")]
            public Task FlushAsync() => Task.CompletedTask;
        }

        class C
        {
            async Task M(Store store) { await Task.Yield(); store.Flush(); }
        }
        """);

    [Fact]
    public Task TwinIsTheEnclosingMethod_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Reader
        {
            public int Read() => 0;
            public Task<int> ReadAsync() => Task.FromResult(Read());

            public void Run() { }
            public async Task RunAsync() { await Task.Yield(); Run(); }
        }
        """);

    [Fact]
    public Task SharedBoolAsyncCodePath_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> ReadCore(Stream stream, byte[] buffer, bool async)
            {
                if (async)
                    return await stream.ReadAsync(buffer, 0, buffer.Length);
                else
                    return stream.Read(buffer, 0, buffer.Length);
            }

            async Task<int> ReadCore2(Stream stream, byte[] buffer, bool useAsync) =>
                useAsync ? await stream.ReadAsync(buffer, 0, buffer.Length) : stream.Read(buffer, 0, buffer.Length);
        }
        """);

    // The forms drivers write: a non-async method returning the awaitable, the flag in a field, compound and negated
    // guards, an unawaited conditional arm, an IsCompletedSuccessfully fast path instead of an await.
    [Fact]
    public Task SharedCodePathInTheFormsLibrariesWriteIt_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Reader
        {
            private readonly bool _async;
            private readonly Stream _stream;

            public Reader(Stream stream, bool async) { _stream = stream; _async = async; }

            public ValueTask WriteAsync(byte[] data, bool async)
            {
                if (async)
                    return _stream.WriteAsync(data);
                _stream.Write(data);
                return default;
            }

            public ValueTask<int> ReadAsync(byte[] buffer)
            {
                if (!_async)
                    return new(_stream.Read(buffer));
                return _stream.ReadAsync(buffer);
            }

            public ValueTask<int> ReadSomeAsync(byte[] buffer, bool isNull, bool async)
            {
                if (!isNull && async && _stream is FileStream file)
                    return file.ReadAsync(buffer);
                return new(_stream.Read(buffer));
            }

            public ValueTask<int> ReadConvertedAsync(byte[] buffer, bool async) =>
                async ? _stream.ReadAsync(buffer) : new(Convert(_stream.Read(buffer)));

            public async ValueTask<int> ReadFastAsync(byte[] buffer, bool async)
            {
                if (async)
                {
                    var pending = _stream.ReadAsync(buffer);
                    if (pending.IsCompletedSuccessfully)
                        return pending.Result;
                    return await pending;
                }

                return _stream.Read(buffer);
            }

            private static int Convert(int n) => n;
        }
        """);

    // A shared engine's handlers (MailKit's IMAP authentication): the sync API builds a non-async handler that takes
    // the engine's flag and writes synchronously; the async API builds an async one. The sync one runs on the sync path.
    // The same handler built in an async method, or one that does not take the flag, is on the async path.
    [Fact]
    public Task SynchronousHandlerOfASharedEngine_BuiltByTheSyncApi_DoesNotTrigger_ButElsewhereDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        delegate Task Continuation(Stream stream, byte[] data, bool doAsync);

        class Client
        {
            private Continuation? _handler;

            public void Authenticate(Stream stream, byte[] data)
            {
                _handler = (s, d, doAsync) =>
                {
                    s.Write(d, 0, d.Length);
                    s.Flush();
                    return Task.CompletedTask;
                };
                _handler(stream, data, false);
            }

            public async Task AuthenticateAsync(Stream stream, byte[] data)
            {
                _handler = async (s, d, doAsync) => await s.WriteAsync(d, 0, d.Length);
                Continuation sync = (s, d, doAsync) => { {|#0:s.Flush()|}; return Task.CompletedTask; };
                await _handler(stream, data, true);
                await sync(stream, data, true);
            }

            public void Register(Stream stream, byte[] data)
            {
                Func<Task> handler = () => { {|#1:stream.Write(data, 0, data.Length)|}; return Task.CompletedTask; };
                _ = handler;
            }
        }
        """,
        Twin(0, "Stream.Flush", "FlushAsync"),
        Twin(1, "Stream.Write", "WriteAsync"));

    // A stream from a factory of this compilation whose every return is in memory — its overrides' too — is memory:
    // writing to it does no I/O, however the local receives it. One override that opens a file makes its callers real.
    [Fact]
    public Task StreamFromAFactoryThatOnlyMakesMemoryStreams_DoesNotTrigger_ButAFileOverrideDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Fetcher
        {
            protected virtual Stream CreateStream(int length) => length > 4096 ? new MemoryStream() : new MemoryStream(length);

            public async Task<Stream> FetchAsync(Stream network, int length, CancellationToken ct)
            {
                var buffer = new byte[4096];
                Stream? stream = null;
                stream = CreateStream(length);
                int n;
                while ((n = await network.ReadAsync(buffer, 0, buffer.Length, ct)) > 0)
                    stream.Write(buffer, 0, n);
                return stream;
            }
        }

        class SmallFetcher : Fetcher
        {
            protected override Stream CreateStream(int length) => new MemoryStream(length);
        }

        class Downloader
        {
            protected virtual Stream CreateSink(string name) => new MemoryStream();

            public async Task DownloadAsync(Stream network, string name, CancellationToken ct)
            {
                var sink = CreateSink(name);
                var buffer = new byte[4096];
                int n;
                while ((n = await network.ReadAsync(buffer, ct)) > 0)
                    {|#0:sink.Write(buffer, 0, n)|};
            }
        }

        class FileDownloader : Downloader
        {
            protected override Stream CreateSink(string name) => File.Create(name);
        }

        class Recorder
        {
            public async Task RecordAsync(Stream network, string path, bool toFile, CancellationToken ct)
            {
                var copy = new MemoryStream();
                if (toFile)
                    copy = null;
                Stream target = copy ?? (Stream)File.Create(path);
                var stream = Open(toFile, path);
                await network.CopyToAsync(target, ct);
                {|#1:stream.Flush()|};
            }

            private static Stream Open(bool toFile, string path) => toFile ? File.OpenWrite(path) : new MemoryStream();
        }

        // A factory that hands back the stream it is given (stream = CommitStream(stream, …)) adds no other value;
        // an override that hands back a file does.
        class Archiver
        {
            protected virtual Stream CreateStream(int length) => new MemoryStream(length);
            protected virtual Stream CommitStream(Stream stream, string name) => stream;

            public async Task<List<Stream>> FetchAsync(Stream network, string[] names, CancellationToken ct)
            {
                var result = new List<Stream>();
                var buffer = new byte[4096];
                Stream stream;
                foreach (var name in names)
                {
                    stream = CreateStream(buffer.Length);
                    var n = await network.ReadAsync(buffer, ct);
                    stream.Write(buffer, 0, n);
                    stream = CommitStream(stream, name);
                    result.Add(stream);
                }

                return result;
            }
        }

        class Spooler
        {
            protected virtual Stream CreateStream(int length) => new MemoryStream(length);
            protected virtual Stream CommitStream(Stream stream, string name) => stream;

            public async Task SpoolAsync(Stream network, string name, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var stream = CreateStream(buffer.Length);
                var n = await network.ReadAsync(buffer, ct);
                {|#2:stream.Write(buffer, 0, n)|};
                stream = CommitStream(stream, name);
            }
        }

        class DiskSpooler : Spooler
        {
            protected override Stream CommitStream(Stream stream, string name) => File.Create(name);
        }
        """,
        Twin(0, "Stream.Write", "WriteAsync"),
        Twin(1, "Stream.Flush", "FlushAsync"),
        Twin(2, "Stream.Write", "WriteAsync"));

    // A stream parameter of a method only this assembly can call, whose every call passes an in-memory stream (also
    // through the abstract method it overrides), is in memory. A public method, or one that another caller hands a
    // file, is not.
    [Fact]
    public Task StreamParameterThatEveryCallerFillsWithMemory_DoesNotTrigger_ButOtherwiseDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        internal abstract class BlobBase
        {
            public async ValueTask<byte[]> ReadAsync(CancellationToken ct)
            {
                using var ms = new MemoryStream();
                await GetSegmentAsync(ms, ct).ConfigureAwait(false);
                return ms.ToArray();
            }

            public abstract ValueTask GetSegmentAsync(Stream stream, CancellationToken ct);
        }

        internal sealed class NetworkBlob : BlobBase
        {
            public override async ValueTask GetSegmentAsync(Stream stream, CancellationToken ct)
            {
                var buffer = await FetchAsync(ct);
                stream.Write(buffer, 0, buffer.Length);
            }

            private static async Task<byte[]> FetchAsync(CancellationToken ct)
            {
                await Task.Delay(1, ct);
                return new byte[4];
            }
        }

        internal static class Copier
        {
            public static async Task CopyAsync(Stream target, byte[] data, CancellationToken ct)
            {
                await Task.Yield();
                {|#0:target.Write(data, 0, data.Length)|};
            }

            public static async Task UseAsync(string path, CancellationToken ct)
            {
                await CopyAsync(new MemoryStream(), new byte[1], ct);
                await using var file = File.Create(path);
                await CopyAsync(file, new byte[1], ct);
            }
        }

        public class Exporter
        {
            public async Task ExportAsync(Stream target, byte[] data)
            {
                await Task.Yield();
                {|#1:target.Write(data, 0, data.Length)|};
            }

            public Task RunAsync() => ExportAsync(new MemoryStream(), new byte[1]);
        }
        """,
        Twin(0, "Stream.Write", "WriteAsync"),
        Twin(1, "Stream.Write", "WriteAsync"));

    // A file stream that a StreamWriter (or reader, or compression stream) owns, made in a using inside the stream's
    // own, is flushed and closed by the wrapper's disposal: the stream's own disposal does nothing, and only the wrapper
    // is reported. With leaveOpen: true, or under a Utf8JsonWriter (which leaves the stream open), the stream's
    // disposal still flushes and closes it: reported.
    [Fact]
    public Task StreamClosedByTheWriterThatOwnsIt_ReportsOnlyTheWriter() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Text;
        using System.Text.Json;

        public class Store
        {
            public async Task SaveAsync(string path, string text)
            {
                using (var file = File.OpenWrite(path))
                {
                    {|#0:using|} (var writer = new StreamWriter(file, Encoding.UTF8))
                    {
                        await writer.WriteAsync(text);
                    }
                }
            }

            public async Task AppendAsync(string path, string text)
            {
                using var destination = File.OpenWrite(path);
                {|#1:using|} var writer = new StreamWriter(destination, Encoding.UTF8);
                await writer.WriteAsync(text);
            }

            public async Task CompressAsync(string path, byte[] data)
            {
                using var file = File.Create(path);
                await using var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
                await zip.WriteAsync(data);
            }

            public async Task KeepOpenAsync(string path, string text)
            {
                {|#2:using|} var file = File.OpenWrite(path);
                await using (var writer = new StreamWriter(file, Encoding.UTF8, 4096, leaveOpen: true))
                {
                    await writer.WriteAsync(text);
                }
            }

            public async Task JsonAsync(string path)
            {
                {|#3:using|} var file = File.Create(path);
                using var json = new Utf8JsonWriter(file);
                json.WriteStartObject();
                json.WriteEndObject();
                await json.FlushAsync();
            }
        }
        """,
        Using(0, "StreamWriter"),
        Using(1, "StreamWriter"),
        Using(2, "FileStream"),
        Using(3, "FileStream"));

    // An implementation of an internal interface method is called through the interface: the arguments of those calls
    // fill its parameter too. Every caller of IChunkSink.FillAsync passes a MemoryStream (a property typed so), so the
    // Write into it is in memory. The same shape behind a public interface may be called with anything: reported.
    [Fact]
    public Task StreamParameterOfInternalInterfaceImplementationFilledWithMemory_DoesNotTrigger_ButPublicInterfaceDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        internal interface IChunkSink
        {
            Task<int> FillAsync(Stream buffer);
        }

        internal sealed class ChunkSink : IChunkSink
        {
            public async Task<int> FillAsync(Stream buffer) => await CopyChunkAsync(buffer).ConfigureAwait(false);

            private static async Task<int> CopyChunkAsync(Stream output)
            {
                var chunk = await ReceiveAsync().ConfigureAwait(false);
                output.Write(chunk, 0, chunk.Length);
                return chunk.Length;
            }

            private static async Task<byte[]> ReceiveAsync()
            {
                await Task.Delay(1);
                return new byte[8];
            }
        }

        internal sealed class MessageReader
        {
            private readonly IChunkSink _sink = new ChunkSink();

            public MemoryStream Buffer { get; } = new MemoryStream();

            public Task<int> ReadAsync() => _sink.FillAsync(Buffer);
        }

        public interface IPublicSink
        {
            Task FillAsync(Stream buffer);
        }

        internal sealed class PublicSink : IPublicSink
        {
            public async Task FillAsync(Stream buffer)
            {
                await Task.Yield();
                {|#0:buffer.Write(new byte[1], 0, 1)|};
            }

            public Task UseAsync() => FillAsync(new MemoryStream());
        }
        """,
        Twin(0, "Stream.Write", "WriteAsync"));

    // Teardown on a failing path: a catch that ends by throwing abandons the resource, and its Disconnect/Dispose does
    // not wait. The same teardown in a catch that swallows the error, and a Flush before the rethrow, are reported.
    [Fact]
    public Task TeardownInACatchThatRethrows_DoesNotTrigger_ButElsewhereDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Net;
        using System.Net.Sockets;

        class Proxy
        {
            public async Task<Stream> ConnectAsync(Socket socket, EndPoint endPoint, CancellationToken ct)
            {
                try
                {
                    await socket.ConnectAsync(endPoint, ct);
                    return new NetworkStream(socket, true);
                }
                catch (Exception ex)
                {
                    if (socket.Connected)
                        socket.Disconnect(false);
                    socket.Dispose();
                    if (ex is SocketException)
                        throw new IOException(ex.Message, ex);
                    throw;
                }
            }

            public async Task<bool> TryConnectAsync(Socket socket, EndPoint endPoint, CancellationToken ct)
            {
                try
                {
                    await socket.ConnectAsync(endPoint, ct);
                    return true;
                }
                catch (SocketException)
                {
                    {|#0:socket.Disconnect(false)|};
                    return false;
                }
            }

            public async Task SendAsync(Stream stream, byte[] data, CancellationToken ct)
            {
                try
                {
                    await stream.WriteAsync(data, ct);
                }
                catch
                {
                    {|#1:stream.Flush()|};
                    throw;
                }
            }
        }
        """,
        Twin(0, "Socket.Disconnect", "DisconnectAsync"),
        Twin(1, "Stream.Flush", "FlushAsync"));

    // A provider's own reader, which inherits DbDataReader's synchronous DisposeAsync, is not missing an 'await using':
    // neither when a cast names it nor when the value comes from a source method (an override, awaited with
    // ConfigureAwait) whose every return is that reader. A factory that may return another provider's reader is
    // still trusted to need one.
    [Fact]
    public Task ReaderOfTheProjectThatInheritsTheSyncFallback_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Collections;
        using System.Data;
        using System.Data.Common;

        class RowReader : DbDataReader
        {
            public override bool Read() => false;
            public override int FieldCount => 0;
            public override object this[int i] => 0;
            public override object this[string n] => 0;
            public override int RecordsAffected => 0;
            public override bool HasRows => false;
            public override bool IsClosed => false;
            public override int Depth => 0;
            public override bool NextResult() => false;
            public override bool GetBoolean(int i) => false;
            public override byte GetByte(int i) => 0;
            public override long GetBytes(int i, long o, byte[]? b, int bo, int l) => 0;
            public override char GetChar(int i) => ' ';
            public override long GetChars(int i, long o, char[]? b, int bo, int l) => 0;
            public override string GetDataTypeName(int i) => "";
            public override DateTime GetDateTime(int i) => default;
            public override decimal GetDecimal(int i) => 0;
            public override double GetDouble(int i) => 0;
            public override Type GetFieldType(int i) => typeof(object);
            public override float GetFloat(int i) => 0;
            public override Guid GetGuid(int i) => default;
            public override short GetInt16(int i) => 0;
            public override int GetInt32(int i) => 0;
            public override long GetInt64(int i) => 0;
            public override string GetName(int i) => "";
            public override int GetOrdinal(string n) => 0;
            public override string GetString(int i) => "";
            public override object GetValue(int i) => 0;
            public override int GetValues(object[] v) => 0;
            public override bool IsDBNull(int i) => false;
            public override IEnumerator GetEnumerator() => Array.Empty<object>().GetEnumerator();
        }

        class Command
        {
            protected virtual async Task<DbDataReader> ExecuteReaderAsync(CancellationToken ct)
            {
                await Task.Yield();
                return new RowReader();
            }

            private static async Task<DbDataReader> OpenAnyAsync(DbCommand other, bool own, CancellationToken ct) =>
                own ? new RowReader() : await other.ExecuteReaderAsync(ct);

            public async Task<int> CountAsync(CancellationToken ct)
            {
                using var reader = await ExecuteReaderAsync(ct).ConfigureAwait(false);
                return reader.FieldCount;
            }

            public async Task<int> ColumnsAsync(CancellationToken ct)
            {
                using var reader = (RowReader)await ExecuteReaderAsync(ct);
                return reader.FieldCount;
            }

            public async Task<int> OtherAsync(DbCommand other, CancellationToken ct)
            {
                {|#0:using|} var reader = await OpenAnyAsync(other, false, ct);
                return reader.FieldCount;
            }
        }
        """,
        Using(0, "DbDataReader"));

    // The flag must govern the call: a sync Close() in a finally, under a condition on something else, is a real report.
    [Fact]
    public Task SyncCallUnderAConditionOnSomethingElse_InASharedPathMethod_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Connection
        {
            private readonly Stream _stream = Stream.Null;
            private readonly bool _ownsStream = true;

            public virtual void Close() { }
            public virtual Task CloseAsync() => Task.CompletedTask;

            public async ValueTask FlushAsync(bool async)
            {
                try
                {
                    if (async)
                        await _stream.FlushAsync();
                    else
                        _stream.Flush();
                }
                finally
                {
                    if (_ownsStream)
                        {|#0:Close()|};
                }
            }

            public ValueTask<int> ReadAsync(byte[] buffer, bool verbose)
            {
                if (verbose)
                    Console.WriteLine("read");
                return new({|#1:_stream.Read(buffer)|});
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("'Connection.Close'", "await 'CloseAsync' instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("'Stream.Read'", "await 'ReadAsync' instead"));

    // A using typed as the base stream but made by a conditional or a switch: judged by its arms. A compressing stream
    // in any arm writes its trailer when disposed; arms that are all memory streams need no await.
    [Fact]
    public Task UsingOfAConditionalOrSwitchOverCompressingStreams_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.IO.Compression;

        enum Method { GZip, Deflate, None }

        class Content
        {
            public async Task SerializeAsync(Stream network, Stream body, bool gzip)
            {
                {|#0:using|} Stream compressed = gzip
                    ? new GZipStream(network, CompressionLevel.Fastest, leaveOpen: true)
                    : new DeflateStream(network, CompressionMode.Compress, leaveOpen: true);
                await body.CopyToAsync(compressed);
            }

            public async Task SerializeAsync(Stream network, Stream body, Method method)
            {
                {|#1:using|} Stream compressed = method switch
                {
                    Method.GZip => new GZipStream(network, CompressionLevel.Fastest, leaveOpen: true),
                    _ => new DeflateStream(network, CompressionMode.Compress, leaveOpen: true),
                };
                await body.CopyToAsync(compressed);
            }

            public async Task BufferAsync(Stream body, bool large)
            {
                using Stream buffer = large ? new MemoryStream(1 << 20) : new MemoryStream();
                await body.CopyToAsync(buffer);
            }
        }
        """,
        Using(0, "GZipStream"),
        Using(1, "GZipStream"));

    [Fact]
    public Task UsingsThatNeedNoAwait_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class PlainStream : MemoryStream { }

        class C
        {
            async Task M(string path, CancellationToken ct, System.Net.Http.HttpClient client)
            {
                using var registration = ct.Register(() => { });
                using var readOnly = File.OpenRead(path);
                using var readOnly2 = new FileStream(path, FileMode.Open, FileAccess.Read);
                using var plain = new PlainStream();
                using var semaphore = new SemaphoreSlim(1);
                using var timer = new Timer(_ => { });
                using (var response = await client.GetAsync("http://localhost/")) { }
                using var flushed = File.Create(path);
                await flushed.WriteAsync(new byte[1]);
                await flushed.FlushAsync();
            }
        }
        """);

    [Fact]
    public Task SyncMethodsAndDeferredDelegates_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            string Sync(string path) { using var s = File.Create(path); return File.ReadAllText(path); }

            async Task M(string path)
            {
                await Task.Run(() => File.ReadAllText(path));
                var thread = new Thread(() => File.WriteAllText(path, ""));
            }
        }
        """);

    [Fact]
    public Task ExcludedApiByType_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<string> M(string path) { await Task.Yield(); return File.ReadAllText(path); }
        }
        """,
        "concurrency_analyzers.excluded_apis = T:System.IO.File\n");

    // A cursor handed to an awaited method that disposes it asynchronously itself on every way through it (the MongoDB
    // driver's shape, also through a forwarder): the outer using finds it disposed. Handed to a method that only reads
    // it, disposes it only on one branch (leaveOpen) or can return before disposing it, the outer using still reports.
    [Fact]
    public Task ValueDisposedAsynchronouslyByTheAwaitedCallee_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        sealed class Cursor : IDisposable, IAsyncDisposable
        {
            public Task<bool> MoveNextAsync() => Task.FromResult(false);
            public void Dispose() { }
            public async ValueTask DisposeAsync() => await Task.Delay(1);
        }

        static class CursorExtensions
        {
            public static async Task<bool> AnyAsync(this Cursor cursor)
            {
                await using (cursor.ConfigureAwait(false))
                    return await cursor.MoveNextAsync();
            }

            public static async Task<bool> FirstAsync(Cursor cursor)
            {
                try { return await cursor.MoveNextAsync(); }
                finally { await cursor.DisposeAsync(); }
            }

            public static async Task<bool> PeekAsync(this Cursor cursor) => await cursor.MoveNextAsync();

            public static Task<bool> AnyAsync(this Cursor cursor, int skip) => AnyAsync(cursor); // a forwarder

            public static async Task<bool> MaybeAsync(this Cursor cursor, bool own)
            {
                if (own)
                {
                    await using (cursor)
                        return await cursor.MoveNextAsync();
                }

                return await cursor.MoveNextAsync();
            }

            public static async Task<bool> EarlyAsync(this Cursor cursor)
            {
                if (!await cursor.MoveNextAsync())
                    return false;
                await using (cursor)
                    return await cursor.MoveNextAsync();
            }
        }

        class C
        {
            async Task<bool> Any(Func<Task<Cursor>> open)
            {
                using (var cursor = await open())
                    return await cursor.AnyAsync().ConfigureAwait(false);
            }

            async Task<bool> First(Func<Task<Cursor>> open)
            {
                using var cursor = await open();
                return await CursorExtensions.FirstAsync(cursor);
            }

            async Task<bool> Peek(Func<Task<Cursor>> open)
            {
                {|#0:using|} var cursor = await open();
                return await cursor.PeekAsync();
            }

            async Task<bool> Forwarded(Func<Task<Cursor>> open)
            {
                using var cursor = await open();
                return await cursor.AnyAsync(skip: 1);
            }

            async Task<bool> LeftOpen(Func<Task<Cursor>> open)
            {
                {|#1:using|} var cursor = await open();
                return await cursor.MaybeAsync(own: false);
            }

            async Task<bool> Early(Func<Task<Cursor>> open)
            {
                {|#2:using|} var cursor = await open();
                return await cursor.EarlyAsync();
            }
        }
        """,
        Using(0, "Cursor"),
        Using(1, "Cursor"),
        Using(2, "Cursor"));
}
