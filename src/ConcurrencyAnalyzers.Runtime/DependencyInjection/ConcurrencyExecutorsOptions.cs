namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// The options of every executor that <c>AddConcurrencyExecutors</c> registers; bind them from configuration
/// (e.g. a <c>"ConcurrencyExecutors"</c> section with <c>Compute</c>, <c>Blocking</c>, <c>Io</c> and <c>Process</c>).
/// </summary>
public sealed class ConcurrencyExecutorsOptions
{
    /// <summary>The compute executor: dedicated threads for CPU-bound work.</summary>
    public ThreadExecutorOptions Compute { get; set; } = ThreadExecutorOptions.ForCompute();

    /// <summary>The blocking executor: dedicated threads for blocking calls with no async alternative.</summary>
    public ThreadExecutorOptions Blocking { get; set; } = ThreadExecutorOptions.ForBlocking();

    /// <summary>The I/O executor: bounded-concurrency async operations.</summary>
    public AsyncExecutorOptions Io { get; set; } = new() { Name = "io" };

#if NET8_0_OR_GREATER
    /// <summary>The process executor: a warm pool of worker processes (its workers start on first use).</summary>
    public ProcessExecutorOptions Process { get; set; } = new();
#endif
}
