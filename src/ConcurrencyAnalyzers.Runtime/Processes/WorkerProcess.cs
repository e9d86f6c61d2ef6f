using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>Why the parent killed a worker; decides the error its in-flight work item gets.</summary>
internal enum KillReason
{
    None,
    Timeout,
    Canceled,
    Shutdown,
    Malformed,
}

/// <summary>
/// One live worker process, seen from the parent: its pipes, one exchange at a time (request out, answer in), the tail
/// of its standard error, and how it ended.
/// </summary>
internal sealed class WorkerProcess
{
    private const int TailLines = 20;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly FrameReader _reader;
    private readonly Queue<string> _errorTail = new();
    private int _killReason;
    private Task<int>? _exited;

    private WorkerProcess(Process process, int maxFrameSize, Action<int, string>? onErrorLine)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _reader = new FrameReader(process.StandardOutput.BaseStream, maxFrameSize);
        Id = process.Id;
        var grouper = onErrorLine is null ? null : new OutputGrouper(entry => onErrorLine(Id, entry));
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                grouper?.End(); // the output ended (the worker exited): its last entry goes out now
                return;
            }

            lock (_errorTail)
            {
                _errorTail.Enqueue(e.Data);
                if (_errorTail.Count > TailLines)
                    _errorTail.Dequeue();
            }

            grouper?.Add(e.Data);
        };
        process.BeginErrorReadLine();
    }

    public int Id { get; }

    /// <summary>Work items this worker has answered.</summary>
    public int Completed { get; set; }

    public KillReason KillReason => (KillReason)Volatile.Read(ref _killReason);

    /// <summary>The last lines of standard error, for crash reports.</summary>
    public string ErrorTail
    {
        get
        {
            lock (_errorTail)
                return string.Join(Environment.NewLine, _errorTail);
        }
    }

    /// <summary>
    /// Variables a worker must not inherit: diagnostic ports and start-up suspension (set by <c>dotnet-trace</c>,
    /// <c>dotnet-counters</c> or <c>dotnet-monitor</c> for the app they launch — a worker would wait, suspended, for a
    /// tool that never connects to it), and a CLR profiler to attach. Both spellings, <c>DOTNET_</c> and <c>COMPlus_</c>.
    /// </summary>
    internal static readonly string[] DiagnosticsVariables =
    [
        "DOTNET_DiagnosticPorts", "COMPlus_DiagnosticPorts",
        "DOTNET_DefaultDiagnosticPortSuspend", "COMPlus_DefaultDiagnosticPortSuspend",
        "CORECLR_ENABLE_PROFILING", "CORECLR_PROFILER", "CORECLR_PROFILER_PATH",
        "CORECLR_PROFILER_PATH_32", "CORECLR_PROFILER_PATH_64", "CORECLR_PROFILER_PATH_ARM32", "CORECLR_PROFILER_PATH_ARM64",
        "DOTNET_EnableEventPipe", "COMPlus_EnableEventPipe", "DOTNET_EventPipeOutputPath", "COMPlus_EventPipeOutputPath",
    ];

    private static void RemoveDiagnosticsVariables(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.ToArray())
        {
            if (DiagnosticsVariables.Contains(name, StringComparer.OrdinalIgnoreCase))
                environment.Remove(name);
        }
    }

    /// <summary>What may have kept a worker from saying hello, from what this process can see.</summary>
    private static IEnumerable<string> StartTimeoutCauses(WorkerLaunch launch, string errorTail, TimeSpan startTimeout)
    {
        if (errorTail.Length > 0)
            yield return "the app's own start-up code ran in the worker and did not finish (its output is below)";
        if (launch.UsesStartupHook)
            yield return "the startup hook did not run in the worker (DOTNET_STARTUP_HOOKS replaced by a launcher, or startup hooks disabled), so the app's Main ran instead: call ProcessWorker.RunIfRequested() as the first line of Main";
        else
            yield return "Main does work before ProcessWorker.RunIfRequested(), which must be its first line";
        yield return $"the machine is too busy to start a .NET process in {startTimeout.TotalSeconds:0.#} s: raise ProcessExecutorOptions.StartTimeout";
    }

    /// <summary>Starts a worker and waits for its hello frame.</summary>
    /// <exception cref="WorkerStartException">It could not be started, or did not say hello in time.</exception>
    public static async Task<WorkerProcess> StartAsync(WorkerLaunch launch, int maxFrameSize, TimeSpan startTimeout, Action<int, string>? onErrorLine, string? initializer = null)
    {
        var startInfo = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in launch.Arguments)
            startInfo.ArgumentList.Add(argument);
        RemoveDiagnosticsVariables(startInfo.Environment);
        startInfo.Environment[ProcessWorker.WorkerVariable] = ProcessWorker.RequestValue(maxFrameSize);
        if (initializer is not null)
            startInfo.Environment[ProcessWorker.InitializerVariable] = initializer;
        else
            startInfo.Environment.Remove(ProcessWorker.InitializerVariable);
        if (launch.UsesStartupHook)
        {
            // After any hooks the app already uses (instrumentation runs first); ours never returns.
            var hooks = startInfo.Environment.TryGetValue(ProcessWorker.StartupHookVariable, out var existing) && !string.IsNullOrEmpty(existing)
                ? existing + Path.PathSeparator + ProcessWorker.HookAssemblyName
                : ProcessWorker.HookAssemblyName;
            startInfo.Environment[ProcessWorker.StartupHookVariable] = hooks;
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new WorkerStartException($"The worker process could not be started ({launch.Describe()}): {e.Message}", e);
        }

        var worker = new WorkerProcess(process, maxFrameSize, onErrorLine);
        using var timeout = new CancellationTokenSource(startTimeout);
        try
        {
            var hello = await worker.ReadFrameAsync(timeout.Token).ConfigureAwait(false);
            if (hello is { Kind: FrameKind.Hello } && new PayloadReader(hello.Value.Payload.Span).ReadInt32() == Frame.ProtocolVersion)
                return worker;
            worker.Kill(KillReason.Malformed);
            await worker.WaitForExitAsync().ConfigureAwait(false);
            throw new WorkerStartException(hello is null
                ? $"The worker process {worker.Id} exited with code {worker.ExitCode} before it was ready ({launch.Describe()}). Its standard error:{Environment.NewLine}{worker.ErrorTail}"
                : $"The worker process {worker.Id} did not greet with protocol version {Frame.ProtocolVersion} ({launch.Describe()}).", null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            worker.Kill(KillReason.Timeout);
            await worker.WaitForExitAsync().ConfigureAwait(false);
            var errorTail = worker.ErrorTail;
            throw new WorkerStartException($"The worker process {worker.Id} was not ready within {startTimeout.TotalSeconds:0.#} s ({launch.Describe()}); it was killed. " +
                                           "Likely causes: " + string.Join("; ", StartTimeoutCauses(launch, errorTail, startTimeout)) + "." +
                                           (errorTail.Length == 0 ? " It wrote nothing to standard error." : $" Its standard error:{Environment.NewLine}{errorTail}"), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            worker.Kill(KillReason.Malformed);
            await worker.WaitForExitAsync().ConfigureAwait(false);
            throw new WorkerStartException($"The worker process {worker.Id} did not start the protocol ({launch.Describe()}): {e.Message} Its standard error:{Environment.NewLine}{worker.ErrorTail}", e);
        }
    }

    /// <summary>The exit code, once <see cref="WaitForExitAsync"/> has seen the process exit.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Items sent to this worker so far.</summary>
    public int Sent { get; set; }

    /// <summary>Writes request frames in one write; false when the worker's input is closed (it died: its exit code tells why).</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> requests)
    {
        try
        {
            await _input.WriteAsync(requests).ConfigureAwait(false);
            await _input.FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Reads the next answer; <see langword="null"/> when the worker's output ended (it died or was killed).</summary>
    /// <exception cref="InvalidDataException">The worker sent a malformed frame.</exception>
    public async ValueTask<(FrameKind Kind, ReadOnlyMemory<byte> Payload)?> ReceiveAsync()
    {
        try
        {
            return await ReadFrameAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Kills the worker (and anything it started), remembering the first reason.</summary>
    public void Kill(KillReason reason)
    {
        Interlocked.CompareExchange(ref _killReason, (int)reason, (int)KillReason.None);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits for the process to exit (after a kill, or after its output ended); returns its exit code.</summary>
    public Task<int> WaitForExitAsync()
    {
        lock (_errorTail)
            return _exited ??= WaitForExitCoreAsync();
    }

    private async Task<int> WaitForExitCoreAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Its output ended but it lingers: it cannot serve, so it is killed.
            Kill(KillReason.Malformed);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var code = _process.ExitCode;
        ExitCode = code;
        _process.Dispose();
        return code;
    }

    /// <summary>Graceful stop: closes the worker's input (it exits when it sees the end), then waits.</summary>
    public Task<int> StopAsync()
    {
        try
        {
            _input.Dispose();
        }
        catch (IOException)
        {
            // Already gone.
        }

        return WaitForExitAsync();
    }

    /// <summary>The next frame; its payload is valid until the next read.</summary>
    private ValueTask<(FrameKind Kind, ReadOnlyMemory<byte> Payload)?> ReadFrameAsync(CancellationToken cancellationToken) =>
        _reader.ReadAsync(cancellationToken);
}

/// <summary>A worker process could not be started or did not become ready.</summary>
internal sealed class WorkerStartException : Exception
{
    public WorkerStartException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
