using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// The worker side of <see cref="ProcessExecutor"/>. A framework-dependent app needs nothing: its workers are the app's
/// own assemblies started through a .NET startup hook, and <c>Main</c> never runs in them. For an app published as
/// single-file, or with startup hooks disabled, call <see cref="RunIfRequested"/> as the first line of <c>Main</c>.
/// </summary>
public static class ProcessWorker
{
    /// <summary>Set in a worker's environment (and removed by the worker at once, so its own children are not workers).</summary>
    internal const string WorkerVariable = "CONCURRENCY_ANALYZERS_WORKER";

    /// <summary>The identity of <see cref="ProcessExecutorOptions.WorkerInitializer"/>, when there is one (removed at once too).</summary>
    internal const string InitializerVariable = "CONCURRENCY_ANALYZERS_WORKER_INIT";

    /// <summary>The startup hook (by simple assembly name, resolved from the app's own dependencies).</summary>
    internal const string StartupHookVariable = "DOTNET_STARTUP_HOOKS";

    internal static readonly string HookAssemblyName = typeof(ProcessWorker).Assembly.GetName().Name!;

    /// <summary>
    /// In a process started as a <see cref="ProcessExecutor"/> worker, serves work items until the parent closes the
    /// pipe (or dies) and then exits the process — this call does not return. In any other process it returns at once.
    /// </summary>
    /// <example>
    /// <code>
    /// static int Main(string[] args)
    /// {
    ///     ProcessWorker.RunIfRequested(); // first line: a worker process never gets past it
    ///     ...
    /// }
    /// </code>
    /// </example>
    public static void RunIfRequested()
    {
        if (!TryReadRequest(out var maxFrameSize, out var parentProcessId))
        {
            Processes.WorkerLaunch.MainHookSeen = true; // copies of this app will serve as workers from Main too
            return;
        }

        // Frames own the standard output; what the work prints goes to standard error (the parent forwards it).
        var output = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        Processes.WorkerHost.ExitWithParent(parentProcessId);
        var initializer = Environment.GetEnvironmentVariable(InitializerVariable);
        if (!string.IsNullOrEmpty(initializer))
        {
            Environment.SetEnvironmentVariable(InitializerVariable, null);
            if (Processes.WorkerHost.RunInitializer(initializer) is var failed and not 0)
                Environment.Exit(failed); // before the hello: the parent sees a failed start, with the error on standard error
        }

        Environment.Exit(new Processes.WorkerHost(maxFrameSize).Run(Console.OpenStandardInput(), output));
    }

    /// <summary>The value the parent puts in <see cref="WorkerVariable"/>: protocol version, frame size limit, parent process id.</summary>
    internal static string RequestValue(int maxFrameSize) => string.Join(";",
        Processes.Frame.ProtocolVersion.ToString(CultureInfo.InvariantCulture),
        maxFrameSize.ToString(CultureInfo.InvariantCulture),
        Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    private static bool TryReadRequest(out int maxFrameSize, out int parentProcessId)
    {
        maxFrameSize = 0;
        parentProcessId = 0;
        var value = Environment.GetEnvironmentVariable(WorkerVariable);
        if (string.IsNullOrEmpty(value))
            return false;

        // This process is a worker: its own child processes must not be.
        Environment.SetEnvironmentVariable(WorkerVariable, null);
        var hooks = Environment.GetEnvironmentVariable(StartupHookVariable);
        if (hooks is not null)
        {
            var others = hooks.Split(Path.PathSeparator).Where(h => h.Length > 0 && h != HookAssemblyName).ToArray();
            Environment.SetEnvironmentVariable(StartupHookVariable, others.Length == 0 ? null : string.Join(Path.PathSeparator, others));
        }

        var parts = value.Split(';');
        if (parts.Length != 3 || parts[0] != Processes.Frame.ProtocolVersion.ToString(CultureInfo.InvariantCulture)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out maxFrameSize) || maxFrameSize < 1
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out parentProcessId))
        {
            Console.Error.WriteLine($"{WorkerVariable}='{value}' is not a request this version of {HookAssemblyName} understands (protocol {Processes.Frame.ProtocolVersion}).");
            Environment.Exit(Processes.WorkerHost.ExitCodeBadRequest);
        }

        return true;
    }
}
