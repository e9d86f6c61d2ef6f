using System;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>How a <see cref="ThreadExecutor"/> is sized and named.</summary>
public sealed class ThreadExecutorOptions
{
    /// <summary>The executor's name: its threads are named after it, and metrics and traces carry it.</summary>
    public string Name { get; set; } = "threads";

    /// <summary>The most dedicated threads the executor runs at once (started on demand). Default: the processor count.</summary>
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>The most work items that wait for a thread; submitting more waits (back-pressure). Default 4096.</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Options for CPU-bound work: one thread per processor, so compute never queues ahead of I/O continuations on the shared pool.</summary>
    public static ThreadExecutorOptions ForCompute() => new() { Name = "compute", WorkerCount = Environment.ProcessorCount };

    /// <summary>Options for blocking calls with no async alternative: more threads than processors, since they mostly wait.</summary>
    public static ThreadExecutorOptions ForBlocking() => new() { Name = "blocking", WorkerCount = Math.Max(16, 4 * Environment.ProcessorCount) };

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("The executor needs a name (it names its threads, metrics and traces).", nameof(Name));
        if (WorkerCount < 1)
            throw new ArgumentOutOfRangeException(nameof(WorkerCount), WorkerCount, "WorkerCount must be at least 1.");
        if (QueueCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be at least 1.");
    }
}
