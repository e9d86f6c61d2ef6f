using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// The error envelope a worker sends for a work item that threw: type name, message and stack trace, with the inner
/// exception chain — plain JSON, rebuilt on the parent's side as <see cref="WorkerException"/> (never by type name).
/// </summary>
internal static class RemoteError
{
    private const int MaxDepth = 8;

    public static byte[] Encode(long id, Exception error)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
            Write(writer, error, MaxDepth);
        var body = json.GetBuffer().AsSpan(0, (int)json.Length);
        var frame = new byte[Frame.HeaderSize + 8 + body.Length];
        Frame.WriteHeader(frame, FrameKind.Error, 8 + body.Length);
        var payload = new PayloadWriter(frame.AsSpan(Frame.HeaderSize));
        payload.WriteInt64(id);
        body.CopyTo(frame.AsSpan(Frame.HeaderSize + 8));
        return frame;
    }

    /// <summary>Rebuilds the envelope (the payload after the id).</summary>
    /// <exception cref="InvalidDataException">The envelope is not the JSON a worker writes.</exception>
    public static WorkerException Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return Read(document.RootElement, MaxDepth);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException("Malformed frame: an error envelope that is not valid JSON of the expected shape.", e);
        }
    }

    private static void Write(Utf8JsonWriter writer, Exception error, int depth)
    {
        writer.WriteStartObject();
        writer.WriteString("type", error.GetType().FullName);
        writer.WriteString("message", error.Message);
        writer.WriteString("stackTrace", error.StackTrace);
        if (error.InnerException is { } inner && depth > 1)
        {
            writer.WritePropertyName("inner");
            Write(writer, inner, depth - 1);
        }

        writer.WriteEndObject();
    }

    private static WorkerException Read(JsonElement element, int depth)
    {
        var inner = depth > 1 && element.TryGetProperty("inner", out var innerElement) ? Read(innerElement, depth - 1) : null;
        return new WorkerException(
            element.GetProperty("type").GetString() ?? "?",
            element.GetProperty("message").GetString() ?? "",
            element.GetProperty("stackTrace").GetString(),
            inner);
    }
}
