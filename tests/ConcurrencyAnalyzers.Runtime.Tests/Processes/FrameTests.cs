using System;
using System.IO;
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
        Assert.Null(Frame.Read(new MemoryStream(), new byte[Frame.HeaderSize], 1024));
        var truncated = new MemoryStream([.. Header(100, 2), 1, 2, 3]);
        var error = Assert.Throws<InvalidDataException>(() => Frame.Read(truncated, new byte[Frame.HeaderSize], 1024));
        Assert.Contains("ended inside a 99-byte payload", error.Message);
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
