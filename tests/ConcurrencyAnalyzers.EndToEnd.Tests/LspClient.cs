using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>
/// A minimal Language Server Protocol client over a server's stdin/stdout (Content-Length framed JSON-RPC): requests,
/// notifications, the server's own requests (answered by a callback), and the diagnostics the server pushes.
/// </summary>
public sealed class LspClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly Func<string, JsonNode?, JsonNode?> _answerServerRequest;
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _log = new();
    private readonly Task _reader;
    private int _nextId;

    private LspClient(Process process, Func<string, JsonNode?, JsonNode?> answerServerRequest)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        _answerServerRequest = answerServerRequest;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine("stderr: " + e.Data); };
        process.BeginErrorReadLine();
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Diagnostics pushed by the server (textDocument/publishDiagnostics), by document URI.</summary>
    public ConcurrentDictionary<string, JsonArray> PublishedDiagnostics { get; } = new();

    /// <summary>What the server wrote to stderr and the messages it sent, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    public static LspClient Start(string fileName, string arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, Func<string, JsonNode?, JsonNode?> answerServerRequest)
    {
        var start = ProcessRunner.StartInfo(fileName, arguments, workingDirectory, environment);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + fileName);
        return new LspClient(process, answerServerRequest);
    }

    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }, cancellationToken);
        using (cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken)))
            return await completion.Task;
    }

    public Task NotifyAsync(string method, JsonNode? parameters, CancellationToken cancellationToken) =>
        WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await RequestAsync("shutdown", null, shutdown.Token);
            await NotifyAsync("exit", null, shutdown.Token);
            await _process.WaitForExitAsync(shutdown.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // A server that does not shut down in time is killed below.
        }

        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }

        _process.Dispose();
        _stop.Dispose();
        _writeGate.Dispose();
    }

    private async Task WriteAsync(JsonNode message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await _input.WriteAsync(header, cancellationToken);
            await _input.WriteAsync(body, cancellationToken);
            await _input.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        while (!_stop.IsCancellationRequested)
        {
            // Header: "Content-Length: N\r\n…\r\n\r\n", then N bytes of JSON.
            int headerEnd;
            while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
            {
                var read = await _output.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                    return;
                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }

            var header = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray());
            var lengthLine = header.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = int.Parse(lengthLine["Content-Length:".Length..].Trim());
            buffer.RemoveRange(0, headerEnd + 4);
            while (buffer.Count < length)
            {
                var read = await _output.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                    return;
                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }

            var json = Encoding.UTF8.GetString(buffer.GetRange(0, length).ToArray());
            buffer.RemoveRange(0, length);
            await HandleAsync(JsonNode.Parse(json)!);
        }
    }

    private async Task HandleAsync(JsonNode message)
    {
        var method = message["method"]?.GetValue<string>();
        var id = message["id"];
        if (method is null && id is not null)
        {
            if (_pending.TryRemove(id.GetValue<int>(), out var completion))
            {
                if (message["error"] is { } error)
                    completion.TrySetException(new InvalidOperationException("LSP error: " + error.ToJsonString()));
                else
                    completion.TrySetResult(message["result"]?.DeepClone());
            }

            return;
        }

        if (method is null)
            return;
        if (id is not null)
        {
            var result = _answerServerRequest(method, message["params"]);
            await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result }, _stop.Token);
            return;
        }

        if (method == "textDocument/publishDiagnostics" && message["params"] is { } published)
            PublishedDiagnostics[published["uri"]!.GetValue<string>()] = published["diagnostics"]!.AsArray();
        else if (method == "window/logMessage")
            lock (_log) _log.AppendLine("log: " + message["params"]?["message"]);
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
                return i;
        }

        return -1;
    }
}
