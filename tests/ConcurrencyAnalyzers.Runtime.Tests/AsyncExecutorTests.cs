using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.Runtime.Tests;

/// <summary>AsyncExecutor: bounds, order, timeouts, failure modes and memory, coordinated by signals.</summary>
public class AsyncExecutorTests
{
    private static AsyncExecutor Create(int concurrency = 4, ErrorMode mode = ErrorMode.FirstError, TimeSpan? timeout = null, int? window = null) =>
        new(new AsyncExecutorOptions { WorkerCount = concurrency, ErrorMode = mode, ItemTimeout = timeout ?? Timeout.InfiniteTimeSpan, Window = window });

    /// <summary>Counts how many bodies run at once.</summary>
    private sealed class ConcurrencyProbe
    {
        private int _current;
        private int _max;

        public int Max => Volatile.Read(ref _max);

        public async ValueTask RunAsync(Func<Task> inside)
        {
            var now = Interlocked.Increment(ref _current);
            int seen;
            while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                await inside();
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }

    [Fact]
    public async Task AMonitorThatAttachesLate_ReadsTheCurrentQueueAndBusySlots()
    {
        var executor = new AsyncExecutor(new AsyncExecutorOptions { Name = "gauged-io", WorkerCount = 2 });
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = Enumerable.Range(0, 5).Select(_ => executor.RunAsync(_ => gate.Task, CancellationToken.None)).ToArray();

        using var monitor = new GaugeReader("gauged-io");
        Assert.Equal((3L, 2L, -1L), monitor.Read()); // two running, three waiting for a slot; async slots have no idle state

        gate.SetResult(1);
        await Task.WhenAll(work);
        Assert.Equal((0L, 0L, -1L), monitor.Read());
        await executor.DisposeAsync();
        Assert.Equal((-1L, -1L, -1L), monitor.Read());
    }

    [Fact]
    public async Task RunAsync_NeverRunsMoreThanWorkerCountAtOnce()
    {
        await using var executor = Create(concurrency: 3);
        var probe = new ConcurrencyProbe();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 20).Select(i => executor.RunAsync(async _ =>
        {
            await probe.RunAsync(() => gate.Task);
            return i;
        }, CancellationToken.None)).ToList();
        Assert.All(tasks, t => Assert.False(t.IsCompleted));
        gate.SetResult();
        Assert.Equal(Enumerable.Range(0, 20), await Task.WhenAll(tasks));
        Assert.Equal(3, probe.Max);
    }

    [Fact]
    public async Task ForEachAsync_RunsEveryItemOnce_Bounded()
    {
        await using var executor = Create(concurrency: 5);
        var probe = new ConcurrencyProbe();
        var seen = new int[1000];
        await executor.ForEachAsync(Enumerable.Range(0, 1000), async (i, _) =>
        {
            await probe.RunAsync(async () => await Task.Yield());
            Interlocked.Increment(ref seen[i]);
        }, CancellationToken.None);
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.InRange(probe.Max, 1, 5);
    }

    [Fact]
    public async Task ForEachAsync_OverAnAsyncSequence()
    {
        await using var executor = Create();
        var sum = 0;
        await executor.ForEachAsync(Numbers(100), (i, _) => { Interlocked.Add(ref sum, i); return default; }, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 100).Sum(), sum);
    }

    [Fact]
    public async Task MapAsync_YieldsInSourceOrder_EvenWhenItemsFinishInReverse()
    {
        await using var executor = Create(concurrency: 4, window: 8);
        var gates = Enumerable.Range(0, 8).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var started = new CountdownEvent(8);
        var results = new List<int>();
        var consuming = Task.Run(async () =>
        {
            await foreach (var r in executor.MapAsync(Enumerable.Range(0, 8), async (i, _) => { started.Signal(); return await gates[i].Task; }, CancellationToken.None))
                results.Add(r);
        });
        // Release the first four in reverse; the rest can only start once those slots free up.
        for (var i = 3; i >= 0; i--)
            gates[i].SetResult(i * 10);
        for (var i = 7; i >= 4; i--)
            gates[i].SetResult(i * 10);
        await consuming;
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i * 10), results);
    }

    [Fact]
    public async Task MapUnorderedAsync_YieldsInCompletionOrder()
    {
        await using var executor = Create(concurrency: 3);
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var results = new List<int>();
        await using var enumerator = executor.MapUnorderedAsync(Enumerable.Range(0, 3), async (i, _) => await gates[i].Task, CancellationToken.None).GetAsyncEnumerator();
        gates[2].SetResult(2);
        Assert.True(await enumerator.MoveNextAsync());
        results.Add(enumerator.Current);
        gates[0].SetResult(0);
        Assert.True(await enumerator.MoveNextAsync());
        results.Add(enumerator.Current);
        gates[1].SetResult(1);
        Assert.True(await enumerator.MoveNextAsync());
        results.Add(enumerator.Current);
        Assert.False(await enumerator.MoveNextAsync());
        Assert.Equal(new[] { 2, 0, 1 }, results);
    }

    [Fact]
    public async Task ItemTimeout_CancelsTheItem_AndFailsItWithATimeoutException()
    {
        await using var executor = Create(timeout: TimeSpan.FromMilliseconds(50));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => executor.RunAsync(async ct => { await Task.Delay(Timeout.Infinite, ct); return 0; }, CancellationToken.None));
        Assert.Contains("ItemTimeout", error.Message);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.Equal(5, await executor.RunAsync(_ => Task.FromResult(5), CancellationToken.None)); // fast items still fit
    }

    [Fact]
    public async Task FirstError_RethrowsTheOriginal_AndStopsTakingItems()
    {
        await using var executor = Create(concurrency: 2);
        var taken = 0;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => executor.ForEachAsync(Counting(1_000_000, () => Interlocked.Increment(ref taken)), async (i, ct) =>
        {
            await Task.Yield();
            if (i == 3)
                throw new InvalidOperationException("item 3");
            if (i > 3)
                await Task.Delay(Timeout.Infinite, ct); // later items end only when the failure cancels the run
        }, CancellationToken.None));
        Assert.Equal("item 3", error.Message);
        Assert.InRange(taken, 4, 4 + 2); // item 3, plus at most one more per worker: the run stopped taking items
    }

    [Fact]
    public async Task CollectAll_RunsEveryItem_AndThrowsEveryFailure()
    {
        await using var executor = Create(mode: ErrorMode.CollectAll);
        var ran = 0;
        var error = await Assert.ThrowsAsync<AggregateException>(() => executor.ForEachAsync(Enumerable.Range(0, 50), async (i, _) =>
        {
            await Task.Yield();
            Interlocked.Increment(ref ran);
            if (i % 10 == 0)
                throw new FormatException("item " + i);
        }, CancellationToken.None));
        Assert.Equal(50, ran);
        Assert.Equal(5, error.InnerExceptions.Count);
        Assert.All(error.InnerExceptions, e => Assert.IsType<FormatException>(e));
    }

    [Fact]
    public async Task CollectAll_MapSkipsFailedItems_AndThrowsAtTheEnd()
    {
        await using var executor = Create(mode: ErrorMode.CollectAll);
        var results = new List<int>();
        var error = await Assert.ThrowsAsync<AggregateException>(async () =>
        {
            await foreach (var r in executor.MapAsync(Enumerable.Range(0, 10), (i, _) => i == 4 ? throw new ArgumentException("4") : new ValueTask<int>(i), CancellationToken.None))
                results.Add(r);
        });
        Assert.Equal(new[] { 0, 1, 2, 3, 5, 6, 7, 8, 9 }, results);
        Assert.Single(error.InnerExceptions);
    }

    [Fact]
    public async Task Cancellation_StopsTheRun()
    {
        await using var executor = Create(concurrency: 2);
        using var cts = new CancellationTokenSource();
        var processed = 0;
        var run = executor.ForEachAsync(Counting(1_000_000, () => { }), async (i, ct) =>
        {
            var n = Interlocked.Increment(ref processed);
            if (n < 10)
                return; // quick items
            if (n == 10)
                await cts.CancelAsync();
            // From here on items only end when the run is canceled.
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.InRange(processed, 10, 12); // at most one more item per worker after the cancel
    }

    [Fact]
    public async Task MapAsync_PullsOnlyAWindowAhead_OfASlowConsumer()
    {
        await using var executor = Create(concurrency: 4, window: 8);
        var pulled = 0;
        var consumed = 0;
        await foreach (var r in executor.MapAsync(Counting(1_000_000, () => Interlocked.Increment(ref pulled)), (i, _) => new ValueTask<int>(i), CancellationToken.None))
        {
            consumed++;
            // Ahead of the consumer by at most the window (plus the items being taken right now).
            Assert.InRange(Volatile.Read(ref pulled), consumed, consumed + 8 + 4);
            if (consumed == 1000)
                break;
        }

        Assert.Equal(1000, consumed);
        Assert.InRange(pulled, 1000, 1000 + 8 + 4);
    }

    [Fact]
    public async Task DisposeAsync_LetsRunningAndWaitingWorkFinish_AndRejectsNewWork()
    {
        var executor = Create(concurrency: 1);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = executor.RunAsync(async ct => { running.SetResult(); return await gate.Task; }, CancellationToken.None);
        await running.Task;
        var waiting = executor.RunAsync(_ => Task.FromResult(2), CancellationToken.None); // waits for the only slot

        var disposed = executor.DisposeAsync().AsTask();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => executor.RunAsync(_ => Task.FromResult(1), CancellationToken.None));
        Assert.False(disposed.IsCompleted); // drains, as the thread and process executors do
        gate.SetResult(1);
        await disposed;
        Assert.Equal((1, 2), (await first, await waiting));
    }

    [Fact]
    public async Task ShutdownAsync_WithCancel_CancelsRunningWork_AndRejectsNewWork()
    {
        var executor = Create();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = executor.RunAsync(async ct => { running.SetResult(); await Task.Delay(Timeout.Infinite, ct); return 0; }, CancellationToken.None);
        await running.Task;
        await executor.ShutdownAsync(cancelPendingWork: true);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => work);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => executor.RunAsync(_ => Task.FromResult(1), CancellationToken.None));
    }

    [Fact]
    public async Task Options_AreCopiedAtConstruction_SoLaterChangesReachNothing()
    {
        var options = new AsyncExecutorOptions { Name = "copied", WorkerCount = 2 };
        await using var executor = new AsyncExecutor(options);
        options.WorkerCount = 0; // invalid, and too late: the executor kept its own copy
        options.ItemTimeout = TimeSpan.FromTicks(1);
        Assert.Equal(2, executor.WorkerCount);
        Assert.Equal(7, await executor.RunAsync(async _ => { await Task.Yield(); return 7; }, CancellationToken.None));
    }

    [Fact]
    public async Task FailingSource_FailsTheRun()
    {
        await using var executor = Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => executor.ForEachAsync(Throwing(), (_, _) => default, CancellationToken.None));
        Assert.Equal("source broke", error.Message);
    }

    [Fact]
    public void BadOptions_GetClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>("WorkerCount", () => new AsyncExecutor(new AsyncExecutorOptions { WorkerCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("Window", () => new AsyncExecutor(new AsyncExecutorOptions { WorkerCount = 4, Window = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>("ItemTimeout", () => new AsyncExecutor(new AsyncExecutorOptions { ItemTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>("ErrorMode", () => new AsyncExecutor(new AsyncExecutorOptions { ErrorMode = (ErrorMode)7 }));
    }

    private static IEnumerable<int> Counting(int count, Action onPulled)
    {
        for (var i = 0; i < count; i++)
        {
            onPulled();
            yield return i;
        }
    }

    private static IEnumerable<int> Throwing()
    {
        yield return 1;
        throw new InvalidOperationException("source broke");
    }

    private static async IAsyncEnumerable<int> Numbers(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }
}
