using System;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// The worker process running a work item died (killed, <see cref="Environment.FailFast(string)"/>, stack overflow,
/// a native crash) before it answered. Only that work item fails; the executor replaces the worker and keeps serving.
/// </summary>
public sealed class WorkerCrashedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The description of the crash.</param>
    /// <param name="processId">The worker's process id.</param>
    /// <param name="exitCode">The worker's exit code, if it could be read.</param>
    /// <param name="standardErrorTail">The last lines the worker wrote to its standard error.</param>
    public WorkerCrashedException(string message, int processId, int? exitCode, string standardErrorTail)
        : base(message)
    {
        ProcessId = processId;
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail ?? "";
    }

    /// <summary>The id of the worker process that died.</summary>
    public int ProcessId { get; }

    /// <summary>Its exit code; on Unix, a process killed by signal N reports 128 + N (see <see cref="Signal"/>).</summary>
    public int? ExitCode { get; }

    /// <summary>On Unix, the signal that killed the worker (e.g. 9 for SIGKILL, 6 for SIGABRT), inferred from the exit code.</summary>
    public int? Signal => !OperatingSystem.IsWindows() && ExitCode is > 128 and < 128 + 65 ? ExitCode - 128 : null;

    /// <summary>The last lines the worker wrote to its standard error (a crash message, a stack trace).</summary>
    public string StandardErrorTail { get; }
}
