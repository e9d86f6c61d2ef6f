using System;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>What an <see cref="AsyncExecutor"/> does when a work item fails.</summary>
public enum ErrorMode
{
    /// <summary>The first failure cancels the rest (no new items start) and is rethrown as it was.</summary>
    FirstError,

    /// <summary>Every item runs; the failures are thrown together as an <see cref="AggregateException"/> at the end.</summary>
    CollectAll,
}

/// <summary>How an <see cref="AsyncExecutor"/> bounds and treats its work.</summary>
public sealed class AsyncExecutorOptions
{
    /// <summary>The executor's name, carried by its metrics and traces.</summary>
    public string Name { get; set; } = "async";

    /// <summary>The most work items in flight at once. Default 16.</summary>
    public int WorkerCount { get; set; } = 16;

    /// <summary>
    /// How many results <c>MapAsync</c> may hold ahead of the consumer (finished but not yet read, or waiting for an
    /// earlier item in ordered mode); memory is bounded by this, not by the input. Default: twice <see cref="WorkerCount"/>.
    /// </summary>
    public int? Window { get; set; }

    /// <summary>The most time one work item may take; it is then canceled and fails with a <see cref="TimeoutException"/>. Default: none.</summary>
    public TimeSpan ItemTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>What a failure does to the rest of a <c>ForEachAsync</c>/<c>MapAsync</c> run. Default <see cref="ErrorMode.FirstError"/>.</summary>
    public ErrorMode ErrorMode { get; set; } = ErrorMode.FirstError;

    internal int EffectiveWindow => Window ?? 2 * WorkerCount;

    /// <summary>A copy, so later changes to the caller's instance do not reach a running executor.</summary>
    internal AsyncExecutorOptions Clone() => (AsyncExecutorOptions)MemberwiseClone();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("The executor needs a name (metrics and traces carry it).", nameof(Name));
        if (WorkerCount < 1)
            throw new ArgumentOutOfRangeException(nameof(WorkerCount), WorkerCount, "WorkerCount must be at least 1.");
        if (Window is { } window && window < WorkerCount)
            throw new ArgumentOutOfRangeException(nameof(Window), window, "Window must be at least WorkerCount, or every worker could not hold a result.");
        if (ItemTimeout != Timeout.InfiniteTimeSpan && ItemTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ItemTimeout), ItemTimeout, "ItemTimeout must be positive, or Timeout.InfiniteTimeSpan for none.");
        if (!Enum.IsDefined(typeof(ErrorMode), ErrorMode))
            throw new ArgumentOutOfRangeException(nameof(ErrorMode), ErrorMode, "Unknown ErrorMode.");
    }
}
