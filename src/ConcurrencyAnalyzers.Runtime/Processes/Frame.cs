using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>What a frame carries.</summary>
internal enum FrameKind : byte
{
    /// <summary>Worker → parent, once, when it is ready: protocol version and process id.</summary>
    Hello = 1,

    /// <summary>Parent → worker: one work item (<see cref="WorkRequest"/>).</summary>
    Request = 2,

    /// <summary>Worker → parent: the JSON result of a work item.</summary>
    Result = 3,

    /// <summary>Worker → parent: the error envelope of a work item that threw.</summary>
    Error = 4,
}

/// <summary>
/// The wire format between a <see cref="ProcessExecutor"/> and its workers: on the worker's redirected stdin and stdout,
/// each frame is a 4-byte little-endian length (of what follows), one <see cref="FrameKind"/> byte, and the payload.
/// A length outside <c>1..maxFrameSize</c> or an unknown kind is a malformed frame: <see cref="InvalidDataException"/>.
/// </summary>
internal static class Frame
{
    public const int HeaderSize = 5;
    public const int ProtocolVersion = 2;

    /// <summary>Writes the header of a frame whose payload is <paramref name="payloadLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, FrameKind kind, int payloadLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, payloadLength + 1);
        destination[4] = (byte)kind;
    }

    /// <summary>Validates a header; returns the kind and the payload length.</summary>
    public static (FrameKind Kind, int PayloadLength) ReadHeader(ReadOnlySpan<byte> header, int maxFrameSize)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 1 || length > maxFrameSize)
            throw new InvalidDataException($"Malformed frame: length {length} is outside 1..{maxFrameSize} bytes (the frame size limit).");
        var kind = (FrameKind)header[4];
        if (kind is < FrameKind.Hello or > FrameKind.Error)
            throw new InvalidDataException($"Malformed frame: unknown frame kind {header[4]}.");
        return (kind, length - 1);
    }

    /// <summary>
    /// Reads one frame into <paramref name="buffer"/> (grown as needed). Returns <see langword="null"/> at a clean end of
    /// stream (between frames); a stream that ends inside a frame is malformed.
    /// </summary>
    public static async ValueTask<(FrameKind Kind, int Length)?> ReadAsync(Stream stream, Memory<byte> header, Func<int, Memory<byte>> buffer, int maxFrameSize, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
            return null;
        if (read < HeaderSize)
            throw new InvalidDataException($"Malformed frame: the stream ended inside a frame header ({read} of {HeaderSize} bytes).");
        var (kind, length) = ReadHeader(header.Span, maxFrameSize);
        var payload = buffer(length);
        read = await stream.ReadAtLeastAsync(payload[..length], length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < length)
            throw new InvalidDataException($"Malformed frame: the stream ended inside a {length}-byte payload ({read} bytes arrived).");
        return (kind, length);
    }

    /// <summary>The synchronous twin of <see cref="ReadAsync"/>, for the worker's reader thread.</summary>
    public static (FrameKind Kind, byte[] Payload)? Read(Stream stream, byte[] header, int maxFrameSize)
    {
        var read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (read == 0)
            return null;
        if (read < HeaderSize)
            throw new InvalidDataException($"Malformed frame: the stream ended inside a frame header ({read} of {HeaderSize} bytes).");
        var (kind, length) = ReadHeader(header, maxFrameSize);
        var payload = new byte[length];
        read = stream.ReadAtLeast(payload, length, throwOnEndOfStream: false);
        if (read < length)
            throw new InvalidDataException($"Malformed frame: the stream ended inside a {length}-byte payload ({read} bytes arrived).");
        return (kind, payload);
    }
}
