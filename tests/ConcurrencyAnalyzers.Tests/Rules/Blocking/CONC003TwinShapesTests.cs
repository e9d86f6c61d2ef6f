using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC003SynchronousIOAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC003SynchronousIOCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

/// <summary>
/// Twins that take the call's values in another shape: a value for a <c>ref readonly</c> argument, memory for a span,
/// one more enum argument at its natural value, a token the twin requires; twins with another name (built in and from
/// <c>.editorconfig</c>); and constructors that connect.
/// </summary>
public class CONC003TwinShapesTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Twin(int location, string what, string twin) =>
        CONC003SynchronousIOTests.Twin(location, what, twin);

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Connects(int location) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments("'new TcpClient(host, port)'", "create it unconnected and await 'ConnectAsync' instead");

    // ---- ref readonly: passed with ref (or in), taken by value by the twin ----

    [Fact]
    public Task RefReadOnlyArgumentPassedWithRef_Triggers_FixPassesTheValue() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        struct Frame { public long Sequence; }

        class Link
        {
            public virtual void Send(ref readonly Frame frame) { }
            public virtual Task SendAsync(Frame frame, CancellationToken ct = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Link link, Frame first, Frame second, CancellationToken ct)
            {
                await Task.Yield();
                {|#0:link.Send(ref first)|};
                {|#1:link.Send(in second)|};
            }
        }
        """,
        /* lang=c#-test */ """
        struct Frame { public long Sequence; }

        class Link
        {
            public virtual void Send(ref readonly Frame frame) { }
            public virtual Task SendAsync(Frame frame, CancellationToken ct = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Link link, Frame first, Frame second, CancellationToken ct)
            {
                await Task.Yield();
                await link.SendAsync(first, ct);
                await link.SendAsync(second, ct);
            }
        }
        """,
        Twin(0, "Link.Send", "SendAsync"),
        Twin(1, "Link.Send", "SendAsync"));

    // A plain ref argument changes what is passed (the callee may write it): no value-taking twin is its counterpart.
    [Fact]
    public Task RefArgumentToARefParameter_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        struct Cursor { public int Offset; }

        class Reader
        {
            public void Advance(ref Cursor cursor) => cursor.Offset++;
            public Task AdvanceAsync(Cursor cursor) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Reader reader, Cursor cursor)
            {
                await Task.Yield();
                reader.Advance(ref cursor);
            }
        }
        """);

    // ---- spans whose twin takes memory ----

    [Fact]
    public Task SpanSliceOfAnArray_Triggers_FixPassesTheSameMemory() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Stream stream, byte[] buffer, int offset, int count, CancellationToken ct)
            {
                await Task.Yield();
                {|#0:stream.Write(buffer.AsSpan(offset, count))|};
                var read = {|#1:stream.Read(new Span<byte>(buffer, 0, count))|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Stream stream, byte[] buffer, int offset, int count, CancellationToken ct)
            {
                await Task.Yield();
                await stream.WriteAsync(buffer.AsMemory(offset, count), ct);
                var read = await stream.ReadAsync(new Memory<byte>(buffer, 0, count), ct);
            }
        }
        """,
        Twin(0, "Stream.Write", "WriteAsync"),
        Twin(1, "Stream.Read", "ReadAsync"));

    // The same through an interface a library defines; and a string's span becomes the string's memory.
    [Fact]
    public Task SpanArgumentOfAnInterfaceMethod_Triggers_FixPassesMemory() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        interface IWire
        {
            void Send(ReadOnlySpan<char> text);
            ValueTask SendAsync(ReadOnlyMemory<char> text, CancellationToken ct = default);
        }

        class C
        {
            async Task M(IWire wire, string line)
            {
                await Task.Yield();
                {|#0:wire.Send(line.AsSpan(1))|};
            }
        }
        """,
        /* lang=c#-test */ """
        interface IWire
        {
            void Send(ReadOnlySpan<char> text);
            ValueTask SendAsync(ReadOnlyMemory<char> text, CancellationToken ct = default);
        }

        class C
        {
            async Task M(IWire wire, string line)
            {
                await Task.Yield();
                await wire.SendAsync(line.AsMemory(1));
            }
        }
        """,
        Twin(0, "IWire.Send", "SendAsync"));

    // A span that is not a view of an array or string (a local span, a slice of one) has no memory form to pass.
    [Fact]
    public Task SpanWithoutAMemoryForm_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Stream stream, CancellationToken ct)
            {
                await Task.Yield();
                Write(stream);
            }

            static void Write(Stream stream)
            {
                Span<byte> header = stackalloc byte[4];
                stream.Write(header);
            }

            async Task N(Stream stream, Memory<byte> memory)
            {
                await Task.Yield();
                stream.Write(memory.Span.Slice(1));
            }
        }
        """);

    // ---- one more argument with a natural value ----

    [Fact]
    public Task XmlLoadAndSave_Trigger_FixAddsTheNoneOptionsAndTheToken() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using System.Xml.Linq;

        class C
        {
            async Task<int> M(Stream input, Stream output, CancellationToken ct)
            {
                await Task.Yield();
                var document = {|#0:XDocument.Load(input)|};
                var element = {|#1:XElement.Load(input)|};
                {|#2:document.Save(output)|};
                return element.Elements().Count();
            }
        }
        """,
        /* lang=c#-test */ """
        using System.Xml.Linq;

        class C
        {
            async Task<int> M(Stream input, Stream output, CancellationToken ct)
            {
                await Task.Yield();
                var document = await XDocument.LoadAsync(input, LoadOptions.None, ct);
                var element = await XElement.LoadAsync(input, LoadOptions.None, ct);
                await document.SaveAsync(output, SaveOptions.None, ct);
                return element.Elements().Count();
            }
        }
        """,
        Twin(0, "XDocument.Load", "LoadAsync"),
        Twin(1, "XElement.Load", "LoadAsync"),
        Twin(2, "XDocument.Save", "SaveAsync"));

    // The twin requires a token and none is in scope: CancellationToken.None, as the call had no cancellation.
    [Fact]
    public Task TwinThatRequiresAToken_NoneInScope_FixPassesCancellationTokenNone() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using System.Xml.Linq;

        class C
        {
            async Task<XDocument> M(Stream input)
            {
                await Task.Yield();
                return {|#0:XDocument.Load(input)|};
            }
        }
        """,
        /* lang=c#-test */ """
        using System.Xml.Linq;

        class C
        {
            async Task<XDocument> M(Stream input)
            {
                await Task.Yield();
                return await XDocument.LoadAsync(input, LoadOptions.None, CancellationToken.None);
            }
        }
        """,
        Twin(0, "XDocument.Load", "LoadAsync"));

    // A path, and options the call already passes, have no async form in the BCL; an extra parameter that is not an
    // enum with a None of 0 has no natural value.
    [Fact]
    public Task ExtraParameterWithoutANaturalValue_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Xml.Linq;

        enum Mode { Fast = 1, Safe = 2 }

        class Store
        {
            public void Flush(Stream s) { }
            public Task FlushAsync(Stream s, Mode mode, CancellationToken ct = default) => Task.CompletedTask;
            public void Trim(int n) { }
            public Task TrimAsync(int n, string reason) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Store store, Stream s)
            {
                await Task.Yield();
                var fromPath = XDocument.Load("settings.xml");
                store.Flush(s);
                store.Trim(3);
            }
        }
        """);

    // ---- twins with another name ----

    [Fact]
    public Task SocketAccept_Triggers_FixAwaitsAcceptAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class C
        {
            async Task<Socket> M(Socket listener, CancellationToken ct)
            {
                await Task.Yield();
                return {|#0:listener.Accept()|};
            }
        }
        """,
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class C
        {
            async Task<Socket> M(Socket listener, CancellationToken ct)
            {
                await Task.Yield();
                return await listener.AcceptAsync(ct);
            }
        }
        """,
        Twin(0, "Socket.Accept", "AcceptAsync"));

    private const string LegacyClient = """
        namespace Legacy
        {
            public class Client
            {
                public virtual string Fetch(string key) => throw null!; // an API stub: judged by name
                public virtual Task<string> FetchTaskAsync(string key) => Task.FromResult(key);
                public class Batch
                {
                    public virtual void Commit() { }
                    public virtual Task BeginCommit() => Task.CompletedTask;
                }
            }
        }

        class C
        {
            async Task<string> M(Legacy.Client client, Legacy.Client.Batch batch)
            {
                await Task.Yield();
                {|#1:batch.Commit()|};
                return {|#0:client.Fetch("k")|};
            }
        }
        """;

    [Fact]
    public Task RenamedTwinFromEditorConfig_Triggers_FixAwaitsIt() => VerifyCS.VerifyCodeFixAsync(
        LegacyClient,
        LegacyClient.Replace("{|#1:batch.Commit()|}", "await batch.BeginCommit()").Replace("{|#0:client.Fetch(\"k\")|}", "await client.FetchTaskAsync(\"k\")"),
        "concurrency_analyzers.async_twin_names = Legacy.Client.Fetch=FetchTaskAsync, M:Legacy.Client.Batch.Commit=BeginCommit, Not An Entry, Legacy.Client.Fetch=",
        equivalenceKey: null,
        fixedHasUsings: false,
        Twin(0, "Client.Fetch", "FetchTaskAsync"),
        Twin(1, "Batch.Commit", "BeginCommit"));

    [Fact]
    public Task RenamedTwinNotConfigured_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        LegacyClient.Replace("{|#1:batch.Commit()|}", "batch.Commit()").Replace("{|#0:client.Fetch(\"k\")|}", "client.Fetch(\"k\")"));

    // ---- constructors that connect ----

    [Fact]
    public Task ConnectingConstructorOfALocal_Triggers_FixConnectsAsynchronously() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class C
        {
            async Task<int> M(string host, int port, CancellationToken ct)
            {
                await Task.Yield();
                using var client = {|#0:new TcpClient(host, port)|};
                TcpClient other = {|#1:new(host, port + 1)|};
                return client.Available + other.Available;
            }
        }
        """,
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class C
        {
            async Task<int> M(string host, int port, CancellationToken ct)
            {
                await Task.Yield();
                using var client = new TcpClient();
                await client.ConnectAsync(host, port, ct);
                TcpClient other = new();
                await other.ConnectAsync(host, port + 1, ct);
                return client.Available + other.Available;
            }
        }
        """,
        Connects(0),
        Connects(1));

    // In a Task-returning method without a token: the method becomes async, ConnectAsync takes no token.
    [Fact]
    public Task ConnectingConstructor_InTaskReturningMethod_FixMakesItAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class C
        {
            Task<NetworkStream> Open(string host)
            {
                var client = {|#0:new TcpClient(host, 25)|};
                return Task.FromResult(client.GetStream());
            }
        }
        """,
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class C
        {
            async Task<NetworkStream> Open(string host)
            {
                var client = new TcpClient();
                await client.ConnectAsync(host, 25);
                return client.GetStream();
            }
        }
        """,
        Connects(0));

    // Where there is no line to connect on before the object is used, it is reported without a fix.
    [Fact]
    public Task ConnectingConstructorPassedOn_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        using System.Net.Sockets;

        class C
        {
            static int Use(TcpClient client) => client.Available;

            async Task<int> M(string host)
            {
                await Task.Yield();
                using (var client = {|#1:new TcpClient(host, 80)|})
                {
                    return Use({|#0:new TcpClient(host, 443)|}) + client.Available;
                }
            }
        }
        """,
        Connects(0),
        Connects(1));

    // Unconnected constructors, and the connecting one in synchronous code, are not reported.
    [Fact]
    public Task UnconnectedClientOrSyncMethod_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Net;
        using System.Net.Sockets;

        class C
        {
            async Task M(string host, int port, CancellationToken ct)
            {
                using var client = new TcpClient();
                using var bound = new TcpClient(new IPEndPoint(IPAddress.Loopback, 0));
                await client.ConnectAsync(host, port, ct);
            }

            int Sync(string host, int port)
            {
                using var client = new TcpClient(host, port);
                return client.Available;
            }
        }
        """);

    // ---- a service scope disposed synchronously (the shape of Microsoft.Extensions.DependencyInjection) ----

    private const string DependencyInjection = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IServiceScope : IDisposable { IServiceProvider ServiceProvider { get; } }
            public readonly struct AsyncServiceScope : IServiceScope, IAsyncDisposable
            {
                public IServiceProvider ServiceProvider => null!;
                public void Dispose() { }
                public ValueTask DisposeAsync() => default;
            }
            public static class ServiceProviderServiceExtensions
            {
                public static IServiceScope CreateScope(this IServiceProvider provider) => null!;
                public static AsyncServiceScope CreateAsyncScope(this IServiceProvider provider) => default;
            }
        }

        """;

    [Fact]
    public Task ServiceScopeInAUsing_Triggers_FixAwaitsTheAsyncScope() => VerifyCS.VerifyCodeFixAsync(
        DependencyInjection + """
        class Worker
        {
            async Task M(IServiceProvider services)
            {
                await Task.Yield();
                {|#0:using|} var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(services);
                _ = scope.ServiceProvider;
            }
        }
        """,
        DependencyInjection + """
        class Worker
        {
            async Task M(IServiceProvider services)
            {
                await Task.Yield();
                await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(services);
                _ = scope.ServiceProvider;
            }
        }
        """,
        Scope(0));

    // An explicitly typed IServiceScope cannot hold the async scope (it is not IAsyncDisposable): reported, no fix. An
    // async scope, and a scope in synchronous code, are not reported.
    [Fact]
    public Task ServiceScopeShapes() => VerifyCS.VerifyNoFixAsync(
        DependencyInjection + """
        namespace App
        {
            using Microsoft.Extensions.DependencyInjection;

            class Worker
            {
                async Task M(IServiceProvider services)
                {
                    await Task.Yield();
                    {|#0:using|} (IServiceScope typed = services.CreateScope()) { }
                    await using var fine = services.CreateAsyncScope();
                }

                void Sync(IServiceProvider services)
                {
                    using var scope = services.CreateScope();
                }
            }
        }
        """,
        Scope(0));

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Scope(int location) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments("Synchronous disposal of 'IServiceScope'", "use 'await using' with 'CreateAsyncScope' instead");

    // A generic method that merely accepts the value is another API; a generic pair is a counterpart.
    [Fact]
    public Task GenericTwinOfANonGenericMethod_DoesNotTrigger_AGenericPairDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        interface IStore
        {
            void Put(List<int> values);
            Task PutAsync<T>(IEnumerable<T> values, CancellationToken ct = default);
            void Save<T>(List<T> values);
            Task SaveAsync<T>(List<T> values, CancellationToken ct = default);
        }

        class C
        {
            async Task M(IStore store, List<int> values)
            {
                await Task.Yield();
                store.Put(values);
                {|#0:store.Save(values)|};
            }
        }
        """,
        Twin(0, "IStore.Save", "SaveAsync"));
}
