using System;
using Microsoft.Extensions.Logging;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>The log messages of <see cref="ProcessExecutor"/> (pre-parsed, so logging below the enabled level costs nothing).</summary>
internal static class ProcessExecutorLog
{
    private static readonly Action<ILogger, string, int, Exception?> WorkerStartedMessage =
        LoggerMessage.Define<string, int>(LogLevel.Debug, new EventId(1, "WorkerStarted"), "Executor {Executor}: worker process {ProcessId} is ready.");

    private static readonly Action<ILogger, string, int, string, Exception?> WorkerReplacedMessage =
        LoggerMessage.Define<string, int, string>(LogLevel.Warning, new EventId(2, "WorkerReplaced"), "Executor {Executor}: worker process {ProcessId} is replaced ({Reason}).");

    private static readonly Action<ILogger, string, int, Exception?> WorkerStoppedMessage =
        LoggerMessage.Define<string, int>(LogLevel.Debug, new EventId(3, "WorkerStopped"), "Executor {Executor}: worker process {ProcessId} stopped.");

    private static readonly Action<ILogger, string, Exception?> WorkerStartFailedMessage =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(4, "WorkerStartFailed"), "Executor {Executor}: a worker process failed to start.");

    private static readonly Action<ILogger, string, int, string, Exception?> WorkerOutputMessage =
        LoggerMessage.Define<string, int, string>(LogLevel.Information, new EventId(5, "WorkerOutput"), "Executor {Executor}: worker process {ProcessId}: {Line}");

    private static readonly Action<ILogger, string, int, int, Exception?> WorkerRecycledMessage =
        LoggerMessage.Define<string, int, int>(LogLevel.Information, new EventId(6, "WorkerRecycled"), "Executor {Executor}: worker process {ProcessId} is replaced after {Completed} work items (MaxTasksPerWorker), as planned.");

    public static void WorkerStarted(this ILogger logger, string executor, int processId) => WorkerStartedMessage(logger, executor, processId, null);

    /// <summary>
    /// An unplanned replacement (crash, timeout, cancel), a warning. A crash's exception is not attached: its standard
    /// error (the crash trace) is already logged as the worker's output, and its caller gets the exception.
    /// </summary>
    public static void WorkerReplaced(this ILogger logger, string executor, int processId, string reason, Exception? error)
    {
        if (error is WorkerCrashedException crashed)
            WorkerReplacedMessage(logger, executor, processId, reason + ", exit code " + crashed.ExitCode, null);
        else
            WorkerReplacedMessage(logger, executor, processId, reason, error);
    }

    /// <summary>A planned replacement after <c>MaxTasksPerWorker</c> items: information, not a warning.</summary>
    public static void WorkerRecycled(this ILogger logger, string executor, int processId, int completed) => WorkerRecycledMessage(logger, executor, processId, completed, null);

    public static void WorkerStopped(this ILogger logger, string executor, int processId) => WorkerStoppedMessage(logger, executor, processId, null);

    public static void WorkerStartFailed(this ILogger logger, string executor, Exception error) => WorkerStartFailedMessage(logger, executor, error);

    public static void WorkerOutput(this ILogger logger, string executor, int processId, string line) => WorkerOutputMessage(logger, executor, processId, line, null);
}
