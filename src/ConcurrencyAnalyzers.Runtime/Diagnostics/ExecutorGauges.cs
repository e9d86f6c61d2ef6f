using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime.Diagnostics;

/// <summary>
/// The current queue length and worker counts of one executor, kept as plain counters and read by observable
/// instruments when a listener collects — so a monitor that attaches to a running app reads the truth, not the sum of
/// the changes it happened to see.
/// </summary>
internal sealed class ExecutorGauges
{
    private static readonly object Lock = new();
    private static readonly List<WeakReference<ExecutorGauges>> Live = new();

    private readonly TagList _tags;
    private readonly TagList _idleTags;
    private readonly TagList _busyTags;
    private long _queued;
    private long _busy;
    private long _idle;

    private readonly bool _hasIdleWorkers;
    private readonly Func<(long Queued, long Busy, long Idle)>? _read;

    /// <param name="tags">The executor's attributes.</param>
    /// <param name="hasIdleWorkers"><see langword="false"/> for an executor whose workers exist only while they work (async slots).</param>
    /// <param name="read">
    /// Reads the values from counters the executor keeps anyway, instead of the Add methods — for a hot path where every
    /// extra atomic on a shared cache line costs (<see cref="ThreadExecutor"/>).
    /// </param>
    public ExecutorGauges(in TagList tags, bool hasIdleWorkers, Func<(long Queued, long Busy, long Idle)>? read = null)
    {
        _tags = tags;
        _hasIdleWorkers = hasIdleWorkers;
        _read = read;
        _idleTags = ExecutorTelemetry.WithState(tags, "idle");
        _busyTags = ExecutorTelemetry.WithState(tags, "busy");
        lock (Lock)
            Live.Add(new WeakReference<ExecutorGauges>(this));
    }

    public long Queued => _read is null ? Volatile.Read(ref _queued) : _read().Queued;

    public long Busy => _read is null ? Volatile.Read(ref _busy) : _read().Busy;

    public long Idle => _read is null ? Volatile.Read(ref _idle) : _read().Idle;

    // The Add is its own statement: arguments of a [Conditional] call are not evaluated in release builds.
    public void AddQueued(long delta)
    {
        var value = Interlocked.Add(ref _queued, delta);
        Check(value, "queue length");
    }

    public void AddBusy(long delta)
    {
        var value = Interlocked.Add(ref _busy, delta);
        Check(value, "busy workers");
    }

    public void AddIdle(long delta)
    {
        var value = Interlocked.Add(ref _idle, delta);
        Check(value, "idle workers");
    }

    /// <summary>Every decrement follows its increment: a count below zero is a bug in the executor (debug builds).</summary>
    [Conditional("DEBUG")]
    private static void Check(long value, string what) => Debug.Assert(value >= 0, what + " went negative");

    /// <summary>The executor has stopped: it is no longer reported.</summary>
    public void Unregister()
    {
        lock (Lock)
            Live.RemoveAll(r => !r.TryGetTarget(out var g) || ReferenceEquals(g, this));
    }

    /// <summary>For the instruments' callbacks: every live executor's gauges (executors collected unstopped drop out).</summary>
    private static List<ExecutorGauges> Snapshot()
    {
        var result = new List<ExecutorGauges>();
        lock (Lock)
        {
            Live.RemoveAll(r => !r.TryGetTarget(out _));
            foreach (var reference in Live)
            {
                if (reference.TryGetTarget(out var gauges))
                    result.Add(gauges);
            }
        }

        return result;
    }

    public static IEnumerable<Measurement<long>> ObserveQueueLength()
    {
        foreach (var gauges in Snapshot())
            yield return new Measurement<long>(Math.Max(0, gauges.Queued), gauges._tags);
    }

    public static IEnumerable<Measurement<long>> ObserveWorkerCount()
    {
        foreach (var gauges in Snapshot())
        {
            yield return new Measurement<long>(Math.Max(0, gauges.Busy), gauges._busyTags);
            if (gauges._hasIdleWorkers)
                yield return new Measurement<long>(Math.Max(0, gauges.Idle), gauges._idleTags);
        }
    }
}
