/// <summary>
/// The .NET startup hook (<c>DOTNET_STARTUP_HOOKS=ConcurrencyAnalyzers.Runtime</c>) through which a
/// <see cref="ConcurrencyAnalyzers.Runtime.ProcessExecutor"/> turns a copy of the app into a worker before its
/// <c>Main</c> runs. The runtime requires this exact name, in no namespace.
/// </summary>
#pragma warning disable CA1050 // Declare types in namespaces: the startup hook contract requires the global namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    /// <summary>Called by the runtime before <c>Main</c>; serves work and exits when this process is a worker.</summary>
    public static void Initialize() => ConcurrencyAnalyzers.Runtime.ProcessWorker.RunIfRequested();
}
