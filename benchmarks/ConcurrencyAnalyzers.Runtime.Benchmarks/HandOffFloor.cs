using System.Collections.Concurrent;

namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>
/// The least any executor must pay to run an item on a thread of its own and complete a task off it: one shared
/// lock-free queue, dedicated threads that never park (they spin and yield while it is empty), and one completion
/// source per item whose continuations go back to the pool. No bound, no cancellation, no context, no telemetry, no
/// shutdown beyond a flag. <c>ThreadExecutor</c>'s per-item cost over this is what its own bookkeeping adds; this over
/// <c>Task.Run</c> is the price of the hand-off itself (for a ProcessExecutor the floor is a raw pipe echo).
/// </summary>
internal sealed class HandOffFloor
{
    private readonly ConcurrentQueue<Item> _queue = new();
    private volatile bool _stopped;

    public HandOffFloor(int threadCount)
    {
        for (var i = 0; i < threadCount; i++)
            new Thread(Loop) { IsBackground = true, Name = "floor #" + (i + 1) }.Start();
    }

    public Task<int> RunAsync(Func<int> work)
    {
        var item = new Item(work);
        _queue.Enqueue(item);
        return item.Task;
    }

    /// <summary>Tells the threads to leave; each does at its next look at the queue.</summary>
    public void Stop() => _stopped = true;

    private void Loop()
    {
        var spinner = default(SpinWait);
        while (!_stopped)
        {
            if (_queue.TryDequeue(out var item))
            {
                item.TrySetResult(item.Work());
                spinner = default;
            }
            else if (spinner.NextSpinWillYield)
            {
                Thread.Yield();
            }
            else
            {
                spinner.SpinOnce();
            }
        }
    }

    private sealed class Item(Func<int> work) : TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Func<int> Work { get; } = work;
    }
}
