using System;
using System.Diagnostics;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// How many items one worker may hold at once (the one it runs and the ones waiting in its pipe): about
/// <see cref="Budget"/> of expected work, judged from how long its recent items took — at least 1, at most
/// <see cref="ProcessExecutorOptions.PipelineDepth"/>. Tiny items pipeline deeply; items of a millisecond or more go one
/// at a time, so they never wait behind each other while another worker is free. A new worker starts at one at a time
/// until its items show they are short.
/// </summary>
internal sealed class PipelinePolicy
{
    /// <summary>The expected work a worker may hold: 1 ms.</summary>
    public static readonly long Budget = Stopwatch.Frequency / 1000;

    private readonly int _maxDepth;

    // A moving average of the time per item (Stopwatch ticks), each new item weighing a quarter: a slow item lowers the
    // depth at once, a run of short ones raises it within a few items.
    private long _averageTicks = Budget;

    public PipelinePolicy(int maxDepth)
    {
        if (maxDepth < 1)
            throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, "The pipeline depth must be at least 1.");
        _maxDepth = maxDepth;
        Depth = 1;
    }

    /// <summary>How many items the worker may hold now.</summary>
    public int Depth { get; private set; }

    /// <summary>An item took <paramref name="elapsedTicks"/> from the start of its turn to its answer.</summary>
    public void Ran(long elapsedTicks)
    {
        if (_maxDepth == 1)
            return;
        _averageTicks += (Math.Max(0, elapsedTicks) - _averageTicks) / 4;
        Depth = _averageTicks <= 0 ? _maxDepth : (int)Math.Clamp(Budget / _averageTicks, 1, _maxDepth);
    }
}
