using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// How to start a worker: the app's own host with the app's own runtimeconfig and dependencies, turned into a worker
/// before <c>Main</c> by the startup hook — or, where hooks cannot work (single-file, hooks disabled), by
/// <see cref="ProcessWorker.RunIfRequested"/> in <c>Main</c>.
/// </summary>
internal sealed class WorkerLaunch
{
    private static readonly Lazy<WorkerLaunch> Current = new(ForCurrentProcess);

    public WorkerLaunch(string fileName, IReadOnlyList<string> arguments, bool usesStartupHook)
    {
        FileName = fileName;
        Arguments = arguments;
        UsesStartupHook = usesStartupHook;
    }

    public string FileName { get; }

    public IReadOnlyList<string> Arguments { get; }

    public bool UsesStartupHook { get; }

    /// <summary>Set when this process called <see cref="ProcessWorker.RunIfRequested"/> (so its copies would too).</summary>
    internal static volatile bool MainHookSeen;

    public static WorkerLaunch ForThisApp() => Current.Value;

    public string Describe() => FileName + (Arguments.Count == 0 ? "" : " " + string.Join(" ", Arguments));

    private static WorkerLaunch ForCurrentProcess()
    {
        var host = Environment.ProcessPath
                   ?? throw new PlatformNotSupportedException("ProcessExecutor cannot tell which executable runs this app (Environment.ProcessPath is null), so it cannot start workers.");
        var hookUsable = !string.IsNullOrEmpty(typeof(WorkerLaunch).Assembly.Location)
                         && (!AppContext.TryGetSwitch("System.StartupHookProvider.IsSupported", out var supported) || supported);
        if (!hookUsable && !MainHookSeen)
        {
            throw new InvalidOperationException(
                "This app cannot turn a copy of itself into a ProcessExecutor worker through a startup hook (it is published as single-file or " +
                "native AOT, or startup hooks are disabled). Call ProcessWorker.RunIfRequested() as the first line of Main; without it a worker " +
                "would run the app's Main instead.");
        }

        var arguments = new List<string>();
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // `dotnet app.dll` (or a test host): run the same entry assembly with the same dependency context.
            var entry = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(entry))
                entry = Environment.GetCommandLineArgs()[0];
            arguments.Add("exec");
            var deps = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';').FirstOrDefault(File.Exists);
            var runtimeConfig = deps is not null && deps.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase)
                ? deps[..^".deps.json".Length] + ".runtimeconfig.json"
                : Path.ChangeExtension(entry, ".runtimeconfig.json");
            if (File.Exists(runtimeConfig))
                arguments.AddRange(["--runtimeconfig", runtimeConfig]);
            if (deps is not null)
                arguments.AddRange(["--depsfile", deps]);
            if (AppContext.GetData("PROBING_DIRECTORIES") is string probing)
            {
                foreach (var directory in probing.Split(Path.PathSeparator).Where(d => d.Length > 0))
                    arguments.AddRange(["--additionalprobingpath", directory]);
            }

            arguments.Add(entry!);
        }

        return new WorkerLaunch(host, arguments, hookUsable);
    }
}
