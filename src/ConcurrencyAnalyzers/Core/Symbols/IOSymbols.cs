using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>Streams, files, readers and writers, and the types whose API mirrors I/O but does none.</summary>
internal sealed class IOSymbols
{
    public IOSymbols(KnownSymbols symbols)
    {
        var tasks = symbols.Tasks;
        Stream = symbols.Get("System.IO.Stream");
        FileStream = symbols.Get("System.IO.FileStream");
        File = symbols.Get("System.IO.File");
        FileInfo = symbols.Get("System.IO.FileInfo");
        FileAccess = symbols.Get("System.IO.FileAccess");
        TextWriter = symbols.Get("System.IO.TextWriter");
        Console = symbols.Get("System.Console");
        XmlReader = symbols.Get("System.Xml.XmlReader");
        XmlWriter = symbols.Get("System.Xml.XmlWriter");
        DbDataReader = symbols.Get("System.Data.Common.DbDataReader");
        TcpClient = symbols.Get("System.Net.Sockets.TcpClient");
        Pipe = symbols.Get("System.IO.Pipelines.Pipe");
        PipeWriter = symbols.Get("System.IO.Pipelines.PipeWriter");

        // Types that do no I/O although their API mirrors types that do.
        NoIOTypes = KnownSymbols.Collect(
            symbols.Get("System.IO.MemoryStream"),
            symbols.Get("System.IO.UnmanagedMemoryStream"),
            symbols.Get("System.IO.StringReader"),
            symbols.Get("System.IO.StringWriter"),
            symbols.Get("System.Buffers.ArrayBufferWriter`1"),
            symbols.Get("MimeKit.IO.MeasuringStream"), // counts bytes, stores nothing
            symbols.Get("MimeKit.IO.MemoryBlockStream"),
            Console,
            XmlReader,
            XmlWriter,
            tasks.CancellationTokenSource);

        // Commands and batches are not among them: their disposal releases client-side state only (SqlClient, Npgsql,
        // MySqlConnector, Microsoft.Data.Sqlite), and a data-access layer disposes one per query.
        DbAbstractions = KnownSymbols.Collect(
            symbols.Get("System.Data.Common.DbConnection"),
            DbDataReader,
            symbols.Get("System.Data.Common.DbTransaction"));

        // Base types whose DisposeAsync is only a synchronous fallback: a concrete type that inherits it without
        // overriding does not miss an 'await using'.
        SyncFallbackDisposeAsyncTypes = DbAbstractions.Union(KnownSymbols.Collect(
            Stream,
            TextWriter,
            symbols.Get("System.Data.Common.DbCommand"),
            symbols.Get("System.Data.Common.DbBatch")));

        // What a serializer reads from or writes to when it does I/O, and the buffers it fills when it does not.
        IOCarriers = KnownSymbols.Collect(
            Stream,
            symbols.Get("System.IO.TextReader"),
            TextWriter,
            symbols.Get("System.IO.Pipelines.PipeReader"),
            PipeWriter,
            XmlReader,
            XmlWriter);
        ByteBuffers = KnownSymbols.Collect(
            symbols.Get("System.ArraySegment`1"),
            symbols.Get("System.Span`1"),
            symbols.Get("System.ReadOnlySpan`1"),
            symbols.Get("System.Memory`1"),
            symbols.Get("System.ReadOnlyMemory`1"),
            symbols.Get("System.Buffers.ReadOnlySequence`1"),
            symbols.Get("System.Buffers.IBufferWriter`1"));

        // Readers, writers and transforming streams documented to close the stream they wrap unless told to leave it open.
        // A Utf8JsonWriter is not among them: it leaves the stream open.
        OwningStreamWrappers = KnownSymbols.Collect(
            symbols.Get("System.IO.StreamWriter"),
            symbols.Get("System.IO.StreamReader"),
            symbols.Get("System.IO.BinaryWriter"),
            symbols.Get("System.IO.BinaryReader"),
            symbols.Get("System.IO.BufferedStream"),
            symbols.Get("System.IO.Compression.GZipStream"),
            symbols.Get("System.IO.Compression.DeflateStream"),
            symbols.Get("System.IO.Compression.BrotliStream"),
            symbols.Get("System.IO.Compression.ZLibStream"),
            symbols.Get("System.Security.Cryptography.CryptoStream"));

        // Types whose disposal does not write, so 'await using' buys nothing.
        // SslStream, NegotiateStream and NetworkStream: DisposeAsync only closes the socket (and the security context),
        // as Dispose does. Newtonsoft.Json's JsonReader: its IAsyncDisposable.DisposeAsync is a synchronous wrapper of
        // Dispose (13.0.4), which only closes the input - 'await using' runs the same synchronous close.
        NoWriteDisposableTypes = KnownSymbols.Collect(
            tasks.CancellationTokenRegistration,
            symbols.Threading.Timer,
            symbols.Get("System.Threading.ITimer"), // TimeProvider.CreateTimer's: disposing it stops the timer, as Timer's does
            symbols.Get("System.Net.Security.SslStream"),
            symbols.Get("System.Net.Security.NegotiateStream"),
            symbols.Get("System.Net.Sockets.NetworkStream"),
            symbols.Get("Newtonsoft.Json.JsonReader"));
    }

    public INamedTypeSymbol? Stream { get; }
    public INamedTypeSymbol? FileStream { get; }
    public INamedTypeSymbol? File { get; }
    public INamedTypeSymbol? FileInfo { get; }
    public INamedTypeSymbol? FileAccess { get; }
    public INamedTypeSymbol? TextWriter { get; }
    public INamedTypeSymbol? Console { get; }
    public INamedTypeSymbol? XmlReader { get; }
    public INamedTypeSymbol? XmlWriter { get; }
    public INamedTypeSymbol? DbDataReader { get; }

    /// <summary>Its <c>(string host, int port)</c> constructor resolves the name and connects, synchronously.</summary>
    public INamedTypeSymbol? TcpClient { get; }

    /// <summary>An in-memory pipe: its <c>Writer</c> and <c>Reader</c> do no I/O.</summary>
    public INamedTypeSymbol? Pipe { get; }

    /// <summary>Its <c>Complete(exception)</c> with an exception discards what is buffered instead of flushing it.</summary>
    public INamedTypeSymbol? PipeWriter { get; }

    public ImmutableHashSet<INamedTypeSymbol> NoIOTypes { get; }
    public ImmutableHashSet<INamedTypeSymbol> SyncFallbackDisposeAsyncTypes { get; }

    /// <summary>The ADO.NET abstractions whose providers' disposal talks to the server (<c>DbConnection</c>, <c>DbDataReader</c>, <c>DbTransaction</c>).</summary>
    public ImmutableHashSet<INamedTypeSymbol> DbAbstractions { get; }
    public ImmutableHashSet<INamedTypeSymbol> NoWriteDisposableTypes { get; }

    /// <summary>Streams, text readers and writers, pipe ends, XML readers and writers: what I/O goes through.</summary>
    public ImmutableHashSet<INamedTypeSymbol> IOCarriers { get; }

    /// <summary>The generic definitions of the in-memory byte buffers (spans, memories, segments, sequences, buffer writers).</summary>
    public ImmutableHashSet<INamedTypeSymbol> ByteBuffers { get; }

    /// <summary>Wrappers whose disposal closes the stream passed first to their constructor (unless <c>leaveOpen</c>).</summary>
    public ImmutableHashSet<INamedTypeSymbol> OwningStreamWrappers { get; }
}
