using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Text.Json;
using ConcurrencyAnalyzers.Runtime.Processes;
using Xunit;

namespace ConcurrencyAnalyzers.Runtime.Tests.Processes;

/// <summary>The wire format, and a worker's answer to malformed input from its parent (in-process, on memory streams).</summary>
public class FrameTests
{
    private static byte[] Header(int length, byte kind)
    {
        var header = new byte[Frame.HeaderSize];
        BitConverter.TryWriteBytes(header, length);
        header[4] = kind;
        return header;
    }

    [Theory]
    [InlineData(0, 2, "outside 1..")]
    [InlineData(-5, 2, "outside 1..")]
    [InlineData(2_000_000, 2, "outside 1..")]
    [InlineData(10, 99, "unknown frame kind 99")]
    public void MalformedHeaders_AreClearErrors(int length, byte kind, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Frame.ReadHeader(Header(length, kind), maxFrameSize: 1_000_000));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AStreamThatEndsInsideAFrame_IsMalformed_ButOneThatEndsBetweenFrames_IsTheEnd()
    {
        Assert.Null(new FrameReader(new MemoryStream(), 1024).Read());
        var truncated = new MemoryStream([.. Header(100, 2), 1, 2, 3]);
        var error = Assert.Throws<InvalidDataException>(() => new FrameReader(truncated, 1024).Read());
        Assert.Contains("ended inside a 99-byte payload (3 bytes arrived)", error.Message);
        var cutHeader = new MemoryStream([.. Header(100, 2)[..3]]);
        Assert.Contains("inside a frame header (3 of 5 bytes)", Assert.Throws<InvalidDataException>(() => new FrameReader(cutHeader, 1024).Read()).Message);
    }

    private static byte[] Frames(params (byte Kind, byte[] Payload)[] frames)
    {
        var bytes = new MemoryStream();
        foreach (var (kind, payload) in frames)
        {
            bytes.Write(Header(payload.Length + 1, kind));
            bytes.Write(payload);
        }

        return bytes.ToArray();
    }

    private static byte[] Filled(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();

    /// <summary>
    /// Frames that share reads, frames cut across reads (one byte at a time), and a frame larger than the reader's
    /// first buffer all come out whole and in order, synchronously and asynchronously.
    /// </summary>
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(7)]
    [InlineData(1)]
    public async Task FramesComeOutWholeAndInOrder_HoweverThePipeCutsThem(int bytesPerRead)
    {
        var frames = new (byte, byte[])[] { (3, Filled(10, 1)), (4, Filled(200_000, 7)), (3, Filled(1, 9)), (3, Filled(70_000, 3)) };
        var bytes = Frames(frames);
        var sync = new FrameReader(new TrickleStream(bytes, bytesPerRead), maxFrameSize: 300_000);
        var async = new FrameReader(new TrickleStream(bytes, bytesPerRead), maxFrameSize: 300_000);
        foreach (var (kind, payload) in frames)
        {
            var read = sync.Read();
            Assert.Equal((FrameKind)kind, read!.Value.Kind);
            Assert.Equal(payload, read.Value.Payload.ToArray());
            var readAsync = await async.ReadAsync(CancellationToken.None);
            Assert.Equal((FrameKind)kind, readAsync!.Value.Kind);
            Assert.Equal(payload, readAsync.Value.Payload.ToArray());
        }

        Assert.Null(sync.Read());
        Assert.Null(await async.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void PipelinedFramesThatArriveTogether_TakeOneRead()
    {
        var stream = new TrickleStream(Frames((3, Filled(100, 1)), (3, Filled(100, 2)), (3, Filled(100, 3))), int.MaxValue);
        var reader = new FrameReader(stream, 1024);
        for (var i = 0; i < 3; i++)
            Assert.NotNull(reader.Read());
        Assert.Equal(1, stream.Reads);
    }

    /// <summary>A stream that hands out at most a few bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] bytes, int bytesPerRead) : MemoryStream(bytes)
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, Math.Min(count, bytesPerRead));
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 2 })] // a length over the limit
    [InlineData(new byte[] { 3, 0, 0, 0, 7, 0, 0 })] // an unknown kind
    [InlineData(new byte[] { 2, 0, 0, 0, 1, 0 })] // a hello, which workers never receive
    [InlineData(new byte[] { 5, 0, 0, 0, 2, 1, 2, 3, 4 })] // a request whose fields run past its payload
    public void AWorkerGivenAMalformedFrame_ExitsWithTheMalformedFrameCode_InsteadOfHanging(byte[] input)
    {
        var output = new MemoryStream();
        var host = new WorkerHost(maxFrameSize: 1024);
        Assert.Equal(WorkerHost.ExitCodeMalformedFrame, host.Run(new MemoryStream(input), output));
        Assert.Equal((byte)FrameKind.Hello, output.ToArray()[4]); // it said hello, then refused the frame
    }

    [Fact]
    public void AWorkerAnswersARequest_ThenEndsWithItsInput()
    {
        var method = WorkMethod.From(new Func<int, int>(WorkerJobs.Twice));
        var request = new WorkRequest(42, method, JsonSerializer.SerializeToUtf8Bytes(21), System.Threading.Timeout.InfiniteTimeSpan, activity: null);
        var output = new MemoryStream();
        Assert.Equal(0, new WorkerHost(1024).Run(new MemoryStream(request.ToFrame()), output));

        var bytes = output.ToArray().AsSpan(Frame.HeaderSize + 8); // after the hello
        var (kind, length) = Frame.ReadHeader(bytes, 1024);
        Assert.Equal(FrameKind.Result, kind);
        Assert.Equal(42, BitConverter.ToInt64(bytes.Slice(Frame.HeaderSize, 8)));
        Assert.Equal(42, JsonSerializer.Deserialize<int>(bytes.Slice(Frame.HeaderSize + 8, length - 8)));
    }

    [Fact]
    public void AnErrorEnvelope_RoundTrips_AndAMalformedOneIsAClearError()
    {
        var frame = RemoteError.Encode(7, new InvalidOperationException("outer", new FormatException("inner")));
        var rebuilt = RemoteError.Decode(frame.AsSpan(Frame.HeaderSize + 8));
        Assert.Equal("System.InvalidOperationException", rebuilt.RemoteTypeName);
        Assert.Equal("outer", rebuilt.Message);
        Assert.Equal("inner", rebuilt.InnerException?.Message);
        Assert.Throws<InvalidDataException>(() => RemoteError.Decode("{\"nope\":1}"u8));
        Assert.Throws<InvalidDataException>(() => RemoteError.Decode("not json"u8));
    }
}
