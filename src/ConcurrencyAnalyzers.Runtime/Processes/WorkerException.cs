using System;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// A work item threw in a worker process. The remote exception cannot cross the process boundary as an object, so it
/// is rebuilt from its type name, message and stack trace (and its inner exceptions, as <see cref="Exception.InnerException"/>).
/// </summary>
public sealed class WorkerException : Exception
{
    /// <summary>Creates the exception from what the worker reported.</summary>
    /// <param name="remoteTypeName">The full name of the exception's type in the worker.</param>
    /// <param name="message">The exception's message in the worker.</param>
    /// <param name="remoteStackTrace">Its stack trace in the worker, if it had one.</param>
    /// <param name="innerException">The rebuilt inner exception, if any.</param>
    public WorkerException(string remoteTypeName, string message, string? remoteStackTrace, Exception? innerException)
        : base(message, innerException)
    {
        RemoteTypeName = remoteTypeName ?? throw new ArgumentNullException(nameof(remoteTypeName));
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full name of the exception's type in the worker, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The stack trace in the worker process.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The remote type, message and stack trace, then the local stack trace.</summary>
    /// <returns>A description of the exception.</returns>
    public override string ToString()
    {
        var text = GetType().FullName + " (remote " + RemoteTypeName + "): " + Message;
        if (InnerException is not null)
            text += " ---> " + InnerException + Environment.NewLine + "   --- End of inner exception stack trace ---";
        if (!string.IsNullOrEmpty(RemoteStackTrace))
            text += Environment.NewLine + RemoteStackTrace + Environment.NewLine + "   --- End of stack trace in the worker process ---";
        if (!string.IsNullOrEmpty(StackTrace))
            text += Environment.NewLine + StackTrace;
        return text;
    }
}
