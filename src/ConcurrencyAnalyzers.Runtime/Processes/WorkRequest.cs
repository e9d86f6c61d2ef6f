using System;
using System.Diagnostics;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// One unit of process work, complete in itself: which static method, its JSON argument, its time budget and the W3C
/// trace context of the submitter. This is the whole descriptor a worker needs — and what an adapter to a distributed
/// engine would send instead — so it stays one type.
/// </summary>
internal sealed class WorkRequest
{
    public WorkRequest(long id, WorkMethod method, byte[] argument, TimeSpan timeout, Activity? activity, Type? serializerContext = null, bool batch = false)
    {
        Batch = batch;
        Id = id;
        Method = method;
        SerializerContext = serializerContext;
        Argument = argument;
        Timeout = timeout;
        TraceParent = activity?.Id;
        TraceState = activity?.TraceStateString;
    }

    public long Id { get; }

    /// <summary>The argument is a JSON array of arguments; the worker runs the method on each, in order, and answers with the array of results.</summary>
    public bool Batch { get; }

    public WorkMethod Method { get; }

    /// <summary>The argument, serialized with System.Text.Json.</summary>
    public byte[] Argument { get; }

    /// <summary>How long the work may run before its worker is killed (<see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit).</summary>
    public TimeSpan Timeout { get; }

    public string? TraceParent { get; }

    public string? TraceState { get; }

    /// <summary>The source-generated JSON context both sides use, if any (found again by the worker like the method).</summary>
    public Type? SerializerContext { get; }

    /// <summary>The whole frame (header and payload), ready for the worker's stdin.</summary>
    public byte[] ToFrame()
    {
        var payloadLength = 8 + PayloadWriter.StringSize(Method.AssemblyName) + 16 + 4 + 8
                            + PayloadWriter.StringSize(TraceParent) + PayloadWriter.StringSize(TraceState)
                            + PayloadWriter.StringSize(SerializerContext?.Assembly.FullName) + 16 + 4 + 4 + 4 + Argument.Length;
        var frame = new byte[Frame.HeaderSize + payloadLength];
        Frame.WriteHeader(frame, FrameKind.Request, payloadLength);
        var writer = new PayloadWriter(frame.AsSpan(Frame.HeaderSize));
        writer.WriteInt64(Id);
        writer.WriteString(Method.AssemblyName);
        writer.WriteGuid(Method.ModuleVersionId);
        writer.WriteInt32(Method.MetadataToken);
        writer.WriteInt64(Timeout == System.Threading.Timeout.InfiniteTimeSpan ? -1 : (long)Timeout.TotalMilliseconds);
        writer.WriteString(TraceParent);
        writer.WriteString(TraceState);
        writer.WriteString(SerializerContext?.Assembly.FullName);
        writer.WriteGuid(SerializerContext?.Module.ModuleVersionId ?? Guid.Empty);
        writer.WriteInt32(SerializerContext?.MetadataToken ?? 0);
        writer.WriteInt32(Batch ? 1 : 0);
        writer.WriteBytes(Argument);
        return frame;
    }
}

/// <summary>A request as the worker reads it back.</summary>
internal readonly ref struct ReceivedRequest
{
    public ReceivedRequest(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        Id = reader.ReadInt64();
        AssemblyName = reader.ReadString() ?? throw new System.IO.InvalidDataException("Malformed frame: a request without an assembly name.");
        ModuleVersionId = reader.ReadGuid();
        MetadataToken = reader.ReadInt32();
        TimeoutMilliseconds = reader.ReadInt64();
        TraceParent = reader.ReadString();
        TraceState = reader.ReadString();
        ContextAssemblyName = reader.ReadString();
        ContextModuleVersionId = reader.ReadGuid();
        ContextMetadataToken = reader.ReadInt32();
        Batch = reader.ReadInt32() == 1;
        Argument = reader.ReadBytes();
    }

    public long Id { get; }

    public string AssemblyName { get; }

    public Guid ModuleVersionId { get; }

    public int MetadataToken { get; }

    public long TimeoutMilliseconds { get; }

    public string? TraceParent { get; }

    public string? TraceState { get; }

    public string? ContextAssemblyName { get; }

    public Guid ContextModuleVersionId { get; }

    public int ContextMetadataToken { get; }

    public bool Batch { get; }

    public ReadOnlySpan<byte> Argument { get; }
}
