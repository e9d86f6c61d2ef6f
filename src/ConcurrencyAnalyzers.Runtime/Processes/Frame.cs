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
}

/// <summary>
/// Reads frames from one side of a pipe through a buffer: each read takes whatever the pipe holds, so frames that arrive
/// together (pipelined requests, answers that queued up) cost one system call instead of two each. A returned payload
/// is valid until the next read. A stream that ends between frames is the end; one that ends inside a frame is malformed.
/// </summary>
internal sealed class FrameReader
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxFrameSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public FrameReader(Stream stream, int maxFrameSize)
    {
        _stream = stream;
        _maxFrameSize = maxFrameSize;
        _buffer = new byte[Math.Min(InitialBufferSize, Frame.HeaderSize + maxFrameSize)];
    }

    /// <summary>The next frame, or <see langword="null"/> at a clean end of the stream.</summary>
    public (FrameKind Kind, ReadOnlyMemory<byte> Payload)? Read()
    {
        if (!Fill(Frame.HeaderSize))
            return EndBetweenFrames();
        var (kind, length) = Frame.ReadHeader(_buffer.AsSpan(_start, Frame.HeaderSize), _maxFrameSize);
        if (!Fill(Frame.HeaderSize + length))
            throw EndInsidePayload(length);
        return Take(kind, length);
    }

    /// <summary>The asynchronous twin of <see cref="Read"/>, for the parent's side.</summary>
    public async ValueTask<(FrameKind Kind, ReadOnlyMemory<byte> Payload)?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(Frame.HeaderSize, cancellationToken).ConfigureAwait(false))
            return EndBetweenFrames();
        var (kind, length) = Frame.ReadHeader(_buffer.AsSpan(_start, Frame.HeaderSize), _maxFrameSize);
        if (!await FillAsync(Frame.HeaderSize + length, cancellationToken).ConfigureAwait(false))
            throw EndInsidePayload(length);
        return Take(kind, length);
    }

    private (FrameKind Kind, ReadOnlyMemory<byte> Payload)? EndBetweenFrames() =>
        _end == _start
            ? null
            : throw new InvalidDataException($"Malformed frame: the stream ended inside a frame header ({_end - _start} of {Frame.HeaderSize} bytes).");

    private InvalidDataException EndInsidePayload(int length) =>
        new($"Malformed frame: the stream ended inside a {length}-byte payload ({_end - _start - Frame.HeaderSize} bytes arrived).");

    private (FrameKind Kind, ReadOnlyMemory<byte> Payload) Take(FrameKind kind, int length)
    {
        var payload = _buffer.AsMemory(_start + Frame.HeaderSize, length);
        _start += Frame.HeaderSize + length;
        return (kind, payload);
    }

    /// <summary>True when <paramref name="needed"/> bytes are buffered; otherwise makes room for them.</summary>
    private bool HasOrMakesRoom(int needed)
    {
        var buffered = _end - _start;
        if (buffered >= needed)
            return true;
        if (_buffer.Length - _start < needed)
        {
            // The frame would run past the end: move what is buffered to the front, into a bigger buffer if need be.
            var target = needed > _buffer.Length ? new byte[Math.Max(needed, Math.Min(2 * _buffer.Length, Frame.HeaderSize + _maxFrameSize))] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, buffered);
            _buffer = target;
            _start = 0;
            _end = buffered;
        }
        else if (buffered == 0)
        {
            _start = _end = 0; // nothing kept: start over at the front (the last payload handed out is done with)
        }

        return false;
    }

    private bool Fill(int needed)
    {
        if (HasOrMakesRoom(needed))
            return true;
        while (_end - _start < needed)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
                return false;
            _end += read;
        }

        return true;
    }

    private async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (HasOrMakesRoom(needed))
            return true;
        while (_end - _start < needed)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return false;
            _end += read;
        }

        return true;
    }
}
