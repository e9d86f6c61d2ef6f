using System;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>How a <see cref="ProcessExecutor"/> sizes, recycles and protects its worker processes.</summary>
public sealed class ProcessExecutorOptions
{
    /// <summary>The executor's name, carried by metrics, traces and log messages.</summary>
    public string Name { get; set; } = "processes";

    /// <summary>How many worker processes run work at once. Default: the processor count.</summary>
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>The most work items that wait for a worker; submitting more waits (back-pressure). Default 1024.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>A worker is replaced after this many work items (to bound leaks in native code); 0, the default, never.</summary>
    public int MaxTasksPerWorker { get; set; }

    /// <summary>
    /// How long one work item may run; then its worker is killed and replaced and the item fails with
    /// <see cref="TimeoutException"/>. Default: <see cref="Timeout.InfiniteTimeSpan"/> (no limit).
    /// </summary>
    public TimeSpan JobTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>A worker with no work for this long exits (a new one starts on demand). Default 60 s; <see cref="Timeout.InfiniteTimeSpan"/> keeps workers.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a new worker may take to become ready before the start counts as failed. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest frame (serialized argument or result, plus a small header) in bytes. Default 16 MiB.</summary>
    public int MaxFrameSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The most items one worker may hold at once: the one it runs and the ones queued behind it in its pipe. Default 8.
    /// A worker holds about 1 ms of expected work, judged from how long its recent items took: tiny items are pipelined
    /// up to this depth (many times the throughput), items of a millisecond or more go one at a time, so they never wait
    /// behind a slow one while another worker is free; a new worker starts at one at a time. 1 turns pipelining off (for
    /// work whose items swing from microseconds to seconds). Items behind a worker that dies are re-run elsewhere — they
    /// never started — and one canceled there ends at once, though the worker may still run it (its result is discarded).
    /// </summary>
    public int PipelineDepth { get; set; } = 8;

    /// <summary>
    /// A source-generated <see cref="JsonSerializerContext"/> that knows every argument and result type (for trimmed apps,
    /// or to control the JSON). Workers use the same context type's <c>Default</c> instance, so its settings must come
    /// from <c>[JsonSourceGenerationOptions]</c>, not from options passed to its constructor. Default: reflection-based
    /// System.Text.Json with default options.
    /// </summary>
    public JsonSerializerContext? SerializerContext { get; set; }

    /// <summary>
    /// Runs once in each worker process, before its first work item — a static method or a <c>static</c> lambda
    /// (<c>static () =&gt; NativeLibrary.Load(…)</c>), like the <c>initializer</c> of Python's <c>ProcessPoolExecutor</c>.
    /// Whatever it leaves in static fields is there for every item that worker runs (see the docs on static state). If
    /// it throws, the worker's start fails with its exception on standard error, and after
    /// <see cref="MaxStartAttempts"/> such starts the executor is broken. Default: none.
    /// </summary>
    public Action? WorkerInitializer { get; set; }

    /// <summary>Consecutive failed worker starts after which the executor is broken and fails all work with one clear error. Default 3.</summary>
    public int MaxStartAttempts { get; set; } = 3;

    /// <summary>A copy, so later changes to the caller's instance do not reach a running executor.</summary>
    internal ProcessExecutorOptions Clone() => (ProcessExecutorOptions)MemberwiseClone();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("The executor needs a name (metrics, traces and logs carry it).", nameof(Name));
        if (WorkerCount < 1)
            throw new ArgumentOutOfRangeException(nameof(WorkerCount), WorkerCount, "WorkerCount must be at least 1.");
        if (QueueCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be at least 1.");
        if (MaxTasksPerWorker < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxTasksPerWorker), MaxTasksPerWorker, "MaxTasksPerWorker must be 0 (no recycling) or more.");
        if (MaxFrameSize < 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, "MaxFrameSize must be at least 1024 bytes.");
        if (PipelineDepth is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(PipelineDepth), PipelineDepth, "PipelineDepth must be between 1 and 256.");
        if (MaxStartAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxStartAttempts), MaxStartAttempts, "MaxStartAttempts must be at least 1.");
        if (SerializerContext is { } context && (context.GetType().IsGenericType || context.GetType().Assembly.IsDynamic || !HasDefaultInstance(context.GetType())))
            throw new ArgumentException($"The serializer context {context.GetType().FullName} must be a non-generic source-generated context with its static Default instance (set SerializerContext = {context.GetType().Name}.Default): workers use that instance of it.", nameof(SerializerContext));
        if (WorkerInitializer is { } initializer)
        {
            try
            {
                _ = Processes.WorkMethod.From(initializer, parameterCount: 0);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException("WorkerInitializer: " + e.Message.Split(" (Parameter")[0], nameof(WorkerInitializer), e);
            }
        }

        CheckTimeout(JobTimeout, nameof(JobTimeout));
        CheckTimeout(IdleTimeout, nameof(IdleTimeout));
        CheckTimeout(StartTimeout, nameof(StartTimeout));
    }

    /// <summary>The generated static <c>Default</c> property (kept by the trimmer when the app reads it to set this option).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Only tests whether Default exists; a trimmed-away Default is reported as missing.")]
    private static bool HasDefaultInstance(Type contextType) =>
        contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static) is { } property && contextType.IsAssignableFrom(property.PropertyType);

    private static void CheckTimeout(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue))
            throw new ArgumentOutOfRangeException(name, value, name + " must be positive (and under 24 days), or Timeout.InfiniteTimeSpan.");
    }
}
