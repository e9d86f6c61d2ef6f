using System;
using System.IO;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>What a work item fails with when its worker stops answering: timeout, cancellation, shutdown, protocol breach or crash.</summary>
internal static class WorkerFailure
{
    /// <summary>The error of the item a worker was running when it stopped answering, by why it stopped.</summary>
    public static Exception For(string executor, TimeSpan jobTimeout, ProcessJob job, WorkerProcess worker, int exitCode, InvalidDataException? malformed)
    {
        var what = "work item " + job.Request.Method.DisplayName;
        switch (worker.KillReason)
        {
            case KillReason.Timeout:
                return new TimeoutException($"The {what} ran longer than its {jobTimeout.TotalMilliseconds:0} ms timeout (ProcessExecutorOptions.JobTimeout); its worker process {worker.Id} was killed and replaced.");
            case KillReason.Canceled:
                return new OperationCanceledException($"The {what} was canceled while running; its worker process {worker.Id} was killed and replaced.", job.CancellationToken);
            case KillReason.Shutdown:
                return new OperationCanceledException($"The executor '{executor}' shut down while the {what} was running; its worker process {worker.Id} was killed.");
            case KillReason.Malformed when malformed is not null:
                return new InvalidDataException($"Worker process {worker.Id} broke the protocol while running the {what}: {malformed.Message} It was killed and replaced. " +
                                                "(Work must not write to the raw standard output stream; Console.Out already goes to standard error in workers.)", malformed);
        }

        var tail = worker.ErrorTail;
        var message = $"The worker process {worker.Id} of executor '{executor}' {DescribeExit(exitCode)} while running the {what}; only this item failed, and the worker is replaced.";
        if (tail.Length > 0)
            message += " Its last standard error output:" + Environment.NewLine + tail;
        return new WorkerCrashedException(message, worker.Id, exitCode, tail);
    }

    /// <summary>"exited with code N", or on Unix the signal that killed it.</summary>
    public static string DescribeExit(int exitCode)
    {
        if (OperatingSystem.IsWindows() || exitCode is <= 128 or >= 128 + 65)
            return $"exited with code {exitCode}";
        var signal = exitCode - 128;
        var name = signal switch
        {
            1 => "SIGHUP",
            2 => "SIGINT",
            4 => "SIGILL",
            6 => "SIGABRT",
            7 => "SIGBUS",
            8 => "SIGFPE",
            9 => "SIGKILL",
            11 => "SIGSEGV",
            13 => "SIGPIPE",
            15 => "SIGTERM",
            _ => "signal " + signal,
        };
        return $"was killed by {name} (signal {signal}, exit code {exitCode})";
    }
}
