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

    public static void WorkerStarted(this ILogger logger, string executor, int processId) => WorkerStartedMessage(logger, executor, processId, null);

    public static void WorkerReplaced(this ILogger logger, string executor, int processId, string reason, Exception? error) => WorkerReplacedMessage(logger, executor, processId, reason, error);

    public static void WorkerStopped(this ILogger logger, string executor, int processId) => WorkerStoppedMessage(logger, executor, processId, null);

    public static void WorkerStartFailed(this ILogger logger, string executor, Exception error) => WorkerStartFailedMessage(logger, executor, error);

    public static void WorkerOutput(this ILogger logger, string executor, int processId, string line) => WorkerOutputMessage(logger, executor, processId, line, null);
}
