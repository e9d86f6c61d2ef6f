using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ConcurrencyAnalyzers.Runtime.Diagnostics;

/// <summary>
/// The one <see cref="Meter"/> and <see cref="ActivitySource"/> of the runtime library, both named
/// <see cref="Name"/>, and its instruments (OpenTelemetry naming: lowercase, dots, no <c>_total</c>).
/// </summary>
internal static class ExecutorTelemetry
{
    public const string Name = "ConcurrencyAnalyzers.Runtime";

    public const string KindTag = "concurrency.executor.kind";
    public const string NameTag = "concurrency.executor.name";
    public const string StateTag = "state";
    public const string ErrorTypeTag = "error.type";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(ExecutorTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(ExecutorTelemetry).Assembly.GetName().Version?.ToString());

    // Current values, read from each executor's state when collected (a late listener reads the truth).
    public static readonly ObservableUpDownCounter<long> QueueLength = Meter.CreateObservableUpDownCounter(
        "concurrency.executor.queue.length", ExecutorGauges.ObserveQueueLength, "{work_item}", "Work items waiting for a worker.");

    public static readonly ObservableUpDownCounter<long> WorkerCount = Meter.CreateObservableUpDownCounter(
        "concurrency.executor.worker.count", ExecutorGauges.ObserveWorkerCount, "{worker}", "Workers, by state (busy or idle).");

    public static readonly Counter<long> WorkItemCount = Meter.CreateCounter<long>(
        "concurrency.executor.work_item.count", "{work_item}", "Work items finished; error.type is set on failure.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "concurrency.executor.work_item.duration", "s", "Time a work item ran.");

    public static readonly Histogram<double> TimeInQueue = Meter.CreateHistogram<double>(
        "concurrency.executor.work_item.time_in_queue", "s", "Time a work item waited before it ran.");

    public static readonly Counter<long> WorkerRestarts = Meter.CreateCounter<long>(
        "concurrency.executor.worker.restarts", "{restart}", "Workers replaced, by reason (crash, timeout, recycle).");

    /// <summary>The common attributes of one executor.</summary>
    public static TagList Tags(string kind, string name) => new() { { KindTag, kind }, { NameTag, name } };

    /// <summary>The executor's attributes plus <c>state</c> (busy or idle), for <see cref="WorkerCount"/>.</summary>
    public static TagList WithState(TagList tags, string state)
    {
        tags.Add(StateTag, state);
        return tags;
    }

    public static double Seconds(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) / (double)Stopwatch.Frequency;

    /// <summary>
    /// Records a finished work item: its count (with <c>error.type</c> on failure) and its duration, unless
    /// <paramref name="startTimestamp"/> is 0 (nobody listened to the duration when the item started).
    /// </summary>
    public static void Finished(in TagList tags, long startTimestamp, System.Exception? error)
    {
        if (startTimestamp != 0 && Duration.Enabled)
            Duration.Record(Seconds(startTimestamp, Stopwatch.GetTimestamp()), tags);
        if (!WorkItemCount.Enabled)
            return;
        if (error is null)
        {
            WorkItemCount.Add(1, tags);
            return;
        }

        var failed = tags;
        failed.Add(ErrorTypeTag, error is System.OperationCanceledException ? "canceled" : error.GetType().FullName);
        WorkItemCount.Add(1, failed);
    }

    /// <summary>
    /// Starts the Activity of one work item as a child of the current one and makes it current; the caller restores
    /// the previous one once it has captured what the work needs (see <see cref="ThreadExecutor"/>).
    /// </summary>
    public static Activity? StartWorkItem(string operation, in TagList tags) =>
        ActivitySource.HasListeners() ? ActivitySource.StartActivity(operation, ActivityKind.Internal, Activity.Current?.Context ?? default, tags) : null;
}
