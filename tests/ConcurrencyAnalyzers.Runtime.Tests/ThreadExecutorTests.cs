using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.Runtime.Tests;

/// <summary>ThreadExecutor on real threads; every wait is on a signal, never on elapsed time.</summary>
public class ThreadExecutorTests
{
    private static ThreadExecutor Create(int workers = 2, int capacity = 16, string name = "test") =>
        new(new ThreadExecutorOptions { Name = name, WorkerCount = workers, QueueCapacity = capacity });

    [Fact]
    public async Task RunAsync_WithAsyncWork_CompletesWhenItsTask_Completes_NotAtItsFirstAwait()
    {
        await using var executor = Create();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = false;
        string? startedOn = null;
        var run = executor.RunAsync(async () =>
        {
            startedOn = Thread.CurrentThread.Name;
            await gate.Task;
            ran = true;
        });
        Assert.False(run.IsCompleted); // Task<Task> would have completed at the await
        gate.SetResult();
        await run;
        Assert.True(ran);
        Assert.Equal("test #1", startedOn); // the part before the first await ran on the executor's thread

        var value = await executor.RunAsync(async () =>
        {
            await Task.Yield();
            return 42;
        });
        Assert.Equal(42, value);
    }

    [Fact]
    public async Task RunAsync_WithAsyncWork_SurfacesAnExceptionThrownAfterItsFirstAwait()
    {
        await using var executor = Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => executor.RunAsync(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("after the await");
        }));
        Assert.Equal("after the await", error.Message);

        var typed = await Assert.ThrowsAsync<FormatException>(() => executor.RunAsync<int>(async ct =>
        {
            await Task.Yield();
            throw new FormatException("typed");
        }, CancellationToken.None));
        Assert.Equal("typed", typed.Message);
    }

    [Fact]
    public async Task RunAsync_WithAsyncWork_PassesTheToken_AndANullTaskIsAnError()
    {
        await using var executor = Create();
        using var cts = new CancellationTokenSource();
        var seen = await executor.RunAsync(ct => Task.FromResult(ct == cts.Token), cts.Token);
        Assert.True(seen);
        await Assert.ThrowsAsync<InvalidOperationException>(() => executor.RunAsync(() => (Task)null!));
    }

    [Fact]
    public async Task RunAsync_RefusesAValueTaskResult_ThatWouldCompleteAtItsFirstAwait()
    {
        await using var executor = Create();
        var error = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(() => new ValueTask<int>(1)); });
        Assert.Contains("ValueTask<Int32>", error.Message);
        Assert.Contains(".AsTask()", error.Message);
        Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(_ => default(ValueTask), CancellationToken.None); });
    }

    [Fact]
    public async Task RunAsync_ReturnsTheResult_OnANamedDedicatedBackgroundThread()
    {
        await using var executor = Create(name: "compute-test");
        var (name, background, pool) = await executor.RunAsync(() =>
            (Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground, Thread.CurrentThread.IsThreadPoolThread));
        Assert.Equal("compute-test #1", name);
        Assert.True(background);
        Assert.False(pool);
        Assert.Equal(42, await executor.RunAsync(() => 42, CancellationToken.None));
    }

    [Fact]
    public async Task Exceptions_SurfaceWithTheirOriginalTypeAndMessage()
    {
        await using var executor = Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => executor.RunAsync(new Action(() => throw new InvalidOperationException("boom"))));
        Assert.Equal("boom", error.Message);
        Assert.Equal(7, await executor.RunAsync(() => 7)); // the thread survived
    }

    [Fact]
    public async Task AlreadyCanceledToken_NeverRunsTheWork()
    {
        await using var executor = Create();
        var ran = false;
        var task = executor.RunAsync(() => ran = true, new CancellationToken(canceled: true));
        Assert.True(task.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.False(ran);
    }

    [Fact]
    public async Task CancelingQueuedWork_EndsItAtOnce_AndItNeverRuns()
    {
        await using var executor = Create(workers: 1);
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = executor.RunAsync(() => { started.SetResult(); gate.Wait(); });
        await started.Task;

        using var cts = new CancellationTokenSource();
        var queuedRan = false;
        var queued = executor.RunAsync(() => queuedRan = true, cts.Token);
        Assert.False(queued.IsCompleted);
        await cts.CancelAsync();
        Assert.True(queued.IsCanceled); // immediately, while the only thread is still busy
        gate.Set();
        await blocker;
        Assert.Equal(1, await executor.RunAsync(() => 1)); // the queue moved past the canceled item
        Assert.False(queuedRan);
    }

    [Fact]
    public async Task RunningWork_IsCanceledCooperatively()
    {
        await using var executor = Create();
        using var cts = new CancellationTokenSource();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = executor.RunAsync(ct =>
        {
            running.SetResult();
            ct.WaitHandle.WaitOne();
            ct.ThrowIfCancellationRequested();
        }, cts.Token);
        await running.Task;
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task FullQueue_MakesSubmittersWait_UntilThereIsRoom()
    {
        await using var executor = Create(workers: 1, capacity: 1);
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<int>();
        var first = executor.RunAsync(() => { started.SetResult(); gate.Wait(); lock (order) order.Add(1); });
        await started.Task;
        var second = executor.RunAsync(() => { lock (order) order.Add(2); }); // takes the one queue slot
        var third = executor.RunAsync(() => { lock (order) order.Add(3); });  // waits for room

        using var impatient = new CancellationTokenSource();
        var fourth = executor.RunAsync(() => { lock (order) order.Add(4); }, impatient.Token);
        await impatient.CancelAsync(); // canceled while waiting for room
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fourth);

        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        gate.Set();
        await Task.WhenAll(first, second, third);
        Assert.Equal(new[] { 1, 2, 3 }, order);
    }

    private static readonly AsyncLocal<string?> Ambient = new();

    [Fact]
    public async Task ExecutionContextAndActivity_FlowToTheWork()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ConcurrencyAnalyzers.Runtime",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var caller = new Activity("caller").Start();
        Ambient.Value = "from the caller";
        await using var executor = Create(name: "flow");

        var (ambient, parentId, operation) = await executor.RunAsync(() => (Ambient.Value, Activity.Current?.ParentId, Activity.Current?.OperationName));

        Assert.Equal("from the caller", ambient);
        Assert.Equal(caller.Id, parentId);
        Assert.Equal("concurrency.executor.run flow", operation);
        Assert.Same(caller, Activity.Current); // the caller's current activity is left as it was
    }

    [Fact]
    public async Task DisposeAsync_RunsQueuedWork_ThenRejectsNewWork_AndNoThreadOutlivesIt()
    {
        var executor = Create(workers: 2, capacity: 18);
        using var gate = new ManualResetEventSlim();
        var done = 0;
        // 2 running + 18 queued fill the executor; 2 more wait for room in the queue.
        var tasks = Enumerable.Range(0, 20).Select(_ => executor.RunAsync(() => { gate.Wait(); Interlocked.Increment(ref done); })).ToList();
        var waitingForRoom = Enumerable.Range(0, 2).Select(_ => executor.RunAsync(() => Interlocked.Increment(ref done))).ToList();
        var disposing = executor.DisposeAsync().AsTask();
        Assert.Throws<ObjectDisposedException>(() => { _ = executor.RunAsync(() => 1); });
        gate.Set();
        await disposing;
        await Task.WhenAll(tasks);
        Assert.Equal(20, done); // everything queued ran
        foreach (var rejected in waitingForRoom) // submissions that never got into the queue are told so, not dropped
            await Assert.ThrowsAsync<ObjectDisposedException>(() => rejected);
        AssertAllExited(executor.ThreadsForTesting);
        Assert.InRange(executor.ThreadsForTesting.Count, 1, 2); // started on demand, never more than WorkerCount
    }

    [Fact]
    public async Task ShutdownCancelingPendingWork_CancelsTheQueue_AndLetsRunningWorkFinish()
    {
        var executor = Create(workers: 1);
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = executor.RunAsync(() => { started.SetResult(); gate.Wait(); return "finished"; });
        await started.Task;
        var pending = Enumerable.Range(0, 5).Select(i => executor.RunAsync(() => i)).ToList();

        var shutdown = executor.ShutdownAsync(cancelPendingWork: true);
        foreach (var task in pending)
        {
            var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
            Assert.Contains("shut down", error.Message);
        }

        gate.Set();
        Assert.Equal("finished", await running);
        await shutdown;
        AssertAllExited(executor.ThreadsForTesting);
    }

    [Fact]
    public async Task ManyItems_AllRun_OnAtMostWorkerCountThreads()
    {
        await using var executor = Create(workers: 3, capacity: 8);
        var threads = new HashSet<int>();
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => executor.RunAsync(() =>
        {
            lock (threads)
                threads.Add(Environment.CurrentManagedThreadId);
            return i * 2;
        })));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * 2), results);
        Assert.InRange(threads.Count, 1, 3);
    }

    /// <summary>
    /// A burst submitted while a thread is parked wakes one signal's worth of threads, not one per item — and still
    /// runs side by side: each thread that takes an item while more wait brings in another (parked or new), so four
    /// items that each wait for all four to start do not deadlock behind the one thread that woke.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public async Task ABurstOfItemsThatWaitForEachOther_RunsSideBySide_FromAParkedStart(int count)
    {
        await using var executor = Create(workers: count, capacity: count);
        for (var round = 0; round < 3; round++)
        {
            await executor.RunAsync(() => { }); // the threads so far finish and park
            using var allStarted = new CountdownEvent(count);
            var items = Enumerable.Range(0, count).Select(_ => executor.RunAsync(() =>
            {
                allStarted.Signal();
                return allStarted.Wait(TimeSpan.FromSeconds(30)); // false: some item never got a thread of its own
            })).ToArray();
            Assert.All(await Task.WhenAll(items), Assert.True);
        }
    }

    [Fact]
    public async Task AMonitorThatAttachesLate_ReadsTheCurrentQueueAndWorkers_NeverNegative()
    {
        var executor = Create(workers: 1, capacity: 16, name: "gauged");
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = executor.RunAsync(() => { started.SetResult(); release.Wait(); });
        await started.Task;
        var queued = Enumerable.Range(0, 5).Select(_ => executor.RunAsync(() => { })).ToArray();

        // Attached now, after every change so far: an UpDownCounter would show it nothing, then only decrements.
        using var monitor = new GaugeReader("gauged");
        Assert.Equal((5L, 1L, 0L), monitor.Read());

        release.Set();
        await Task.WhenAll(queued.Append(first));
        for (var i = 0; i < 3000 && monitor.Read() != (0, 0, 1); i++)
            await Task.Delay(10); // the thread parks after its last item
        Assert.Equal((0L, 0L, 1L), monitor.Read());

        await executor.DisposeAsync();
        Assert.Equal((-1L, -1L, -1L), monitor.Read()); // a stopped executor is no longer reported
    }

    [Fact]
    public async Task AnItemQueuedJustBeforeShutdown_StillRuns_WhenTheOnlyThreadHadJustFoundTheQueueEmpty()
    {
        // The window: the thread found the queue empty and has not yet looked for shutdown. In it, an item arrives (its
        // submitter sees the executor running, so the item is kept) and shutdown starts. The thread must not leave
        // that item behind, with nobody to run it and its task never done.
        var executor = new ThreadExecutor(new ThreadExecutorOptions { Name = "window", WorkerCount = 1 });
        await executor.RunAsync(() => { }); // the thread is up
        var inWindow = new TaskCompletionSource<(Task Item, Task Shutdown)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = false;
        var once = 0;
        executor.QueueFoundEmptyForTesting = () =>
        {
            if (Interlocked.Exchange(ref once, 1) == 1)
                return;
            var item = executor.RunAsync(() => { ran = true; });
            inWindow.SetResult((item, executor.ShutdownAsync(cancelPendingWork: false)));
        };
        await executor.RunAsync(() => { }); // wakes the thread, which then finds the queue empty

        var (item, shutdown) = await inWindow.Task;
        await Task.WhenAny(Task.WhenAll(item, shutdown), Task.Delay(TimeSpan.FromSeconds(30))); // a bound, not a timing claim
        Assert.True(item.IsCompleted, "the item queued just before shutdown was left in the queue");
        await item;
        Assert.True(ran);
        await shutdown;
        AssertAllExited(executor.ThreadsForTesting);
    }

    [Fact]
    public async Task TheQueueBound_StaysExact_AfterManyItemsHavePassed_AndSomeWereWithdrawn()
    {
        // Submitters check room against a count of given-back room they read earlier, refreshed only when it says
        // full: after thousands of items (some withdrawn by their tokens, some refused at the bound) the queue must still
        // take exactly QueueCapacity items, no fewer and no more.
        var executor = Create(workers: 2, capacity: 3);
        for (var round = 0; round < 200; round++)
        {
            using var cancel = new CancellationTokenSource();
            var burst = Enumerable.Range(0, 25).Select(i => executor.RunAsync(() => i, i % 5 == 0 ? cancel.Token : CancellationToken.None)).ToList();
            cancel.Cancel();
            foreach (var task in burst)
            {
                try { await task; } catch (OperationCanceledException) { }
            }
        }

        using var gate = new ManualResetEventSlim();
        var running = 0;
        var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockers = Enumerable.Range(0, 2).Select(_ => executor.RunAsync(() =>
        {
            if (Interlocked.Increment(ref running) == 2)
                bothRunning.SetResult();
            gate.Wait();
        })).ToList();
        await bothRunning.Task;
        var ran = 0;
        var queued = Enumerable.Range(0, 3).Select(_ => executor.RunAsync(() => Interlocked.Increment(ref ran))).ToList();
        var waitingForRoom = Enumerable.Range(0, 2).Select(_ => executor.RunAsync(() => Interlocked.Increment(ref ran))).ToList();
        Assert.All(waitingForRoom, task => Assert.False(task.IsCompleted));

        var disposing = executor.DisposeAsync().AsTask();
        gate.Set();
        await disposing;
        await Task.WhenAll(queued.Concat(blockers));
        Assert.Equal(3, ran); // the three in the queue ran
        foreach (var refused in waitingForRoom) // the two beyond the bound were never queued, and are told so
            await Assert.ThrowsAsync<ObjectDisposedException>(() => refused);
    }

    [Fact]
    public async Task DurationAndTimeInQueue_AreRecordedForEveryItem_WhileSomeoneListens()
    {
        var recorded = new List<(string Instrument, double Seconds)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ConcurrencyAnalyzers.Runtime" && instrument.Name is "concurrency.executor.work_item.duration" or "concurrency.executor.work_item.time_in_queue")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "concurrency.executor.name" && Equals(tag.Value, "timed"))
                    lock (recorded) recorded.Add((instrument.Name, value));
            }
        });
        listener.Start();

        await using (var executor = Create(name: "timed"))
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => executor.RunAsync(() => Thread.SpinWait(100 * i))));

        lock (recorded)
        {
            Assert.Equal(10, recorded.Count(r => r.Instrument == "concurrency.executor.work_item.duration"));
            Assert.Equal(10, recorded.Count(r => r.Instrument == "concurrency.executor.work_item.time_in_queue"));
            Assert.All(recorded, r => Assert.InRange(r.Seconds, 0, 60)); // a real elapsed time, not a timestamp or garbage
        }
    }

    [Fact]
    public async Task Metrics_CountWorkItemsAndFailures_WithTheExecutorsAttributes()
    {
        var counts = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ConcurrencyAnalyzers.Runtime" && instrument.Name == "concurrency.executor.work_item.count")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
                copy[tag.Key] = tag.Value;
            if (Equals(copy.GetValueOrDefault("concurrency.executor.name"), "metered"))
                lock (counts) counts.Add((value, copy));
        });
        listener.Start();

        await using (var executor = Create(name: "metered"))
        {
            await executor.RunAsync(() => 1);
            await Assert.ThrowsAsync<FormatException>(() => executor.RunAsync(new Action(() => throw new FormatException())));
        }

        lock (counts)
        {
            Assert.Equal(2, counts.Count);
            Assert.All(counts, c => Assert.Equal("thread", c.Tags["concurrency.executor.kind"]));
            Assert.Single(counts, c => !c.Tags.ContainsKey("error.type"));
            Assert.Single(counts, c => Equals(c.Tags.GetValueOrDefault("error.type"), typeof(FormatException).FullName));
        }
    }

    [Fact]
    public async Task Stress_ConcurrentProducersWithCancellations_EveryTaskEnds_AndCountsBalance()
    {
        var executor = Create(workers: 2, capacity: 4);
        var ran = 0;
        var producers = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            var random = new Random(p);
            var tasks = new List<Task>();
            for (var i = 0; i < 1000; i++)
            {
                using var cts = new CancellationTokenSource();
                var task = executor.RunAsync(() => { Interlocked.Increment(ref ran); }, cts.Token);
                if (random.Next(4) == 0)
                    await cts.CancelAsync();
                tasks.Add(task);
            }

            var completed = 0;
            foreach (var task in tasks)
            {
                try
                {
                    await task;
                    completed++;
                }
                catch (OperationCanceledException)
                {
                }
            }

            return completed;
        })).ToList();

        var completedTotal = (await Task.WhenAll(producers)).Sum();
        Assert.Equal(completedTotal, Volatile.Read(ref ran)); // every completed task ran once; no canceled one ran
        Assert.InRange(completedTotal, 1, 8000);
        await executor.DisposeAsync();
        AssertAllExited(executor.ThreadsForTesting);
    }

    [Fact]
    public async Task MapAsync_YieldsEveryResultInArgumentOrder_FromTheExecutorsThreads()
    {
        await using var executor = Create(workers: 2, name: "map");
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var results = new List<int>();
        // 1,003 arguments in chunks of 100: the last chunk is short.
        await foreach (var result in executor.MapAsync(n =>
        {
            threads[Thread.CurrentThread.Name ?? "?"] = true;
            return n * 2;
        }, Enumerable.Range(0, 1003), chunkSize: 100, CancellationToken.None))
        {
            results.Add(result);
        }

        Assert.Equal(Enumerable.Range(0, 1003).Select(n => n * 2), results);
        Assert.All(threads.Keys, name => Assert.StartsWith("map #", name));
    }

    [Fact]
    public async Task MapAsync_ReadsItsArgumentsLazily_AFewChunksAhead_AndDisposesThemWhenTheConsumerStops()
    {
        await using var executor = Create(workers: 1, capacity: 100);
        var source = new CountingSource(1_000_000);
        await using (var results = executor.MapAsync(n => n, source, chunkSize: 10, CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.True(await results.MoveNextAsync());
            Assert.Equal(0, results.Current);
            // Two chunks per thread are in flight when the first result is read; nothing more was pulled.
            Assert.Equal(20, source.Pulled);
        }

        Assert.True(source.Disposed);
        Assert.Equal(20, source.Pulled);
    }

    [Fact]
    public async Task MapAsync_ThrowsTheFirstFailure_WithItsOwnType_AfterTheResultsBeforeIt()
    {
        await using var executor = Create(workers: 1);
        var results = new List<int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var result in executor.MapAsync(n => n == 25 ? throw new InvalidOperationException("bad argument 25") : n, Enumerable.Range(0, 100), chunkSize: 10, CancellationToken.None))
                results.Add(result);
        });

        Assert.Equal("bad argument 25", error.Message);
        Assert.Equal(Enumerable.Range(0, 20), results); // the two chunks before the failing one, nothing of it or after it
    }

    [Fact]
    public async Task MapAsync_WhenReadingTheArgumentsFails_YieldsEveryResultReadBeforeIt_ThenThrows()
    {
        await using var executor = Create(workers: 2);
        var results = new List<int>();
        var error = await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var result in executor.MapAsync(n => n * 10, FailingSource.FailingAt(25), chunkSize: 10, CancellationToken.None))
                results.Add(result);
        });

        Assert.Equal("argument 25 is unreadable", error.Message);
        Assert.Equal(Enumerable.Range(0, 25).Select(n => n * 10), results); // two full chunks and the five of the third
    }

    [Fact]
    public async Task MapAsync_Canceled_StopsARunningChunkBeforeItsNextArgument_AndNoLaterChunkRuns()
    {
        await using var executor = Create(workers: 1);
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in executor.MapAsync(n =>
            {
                Interlocked.Increment(ref calls);
                cancel.Cancel(); // while the first chunk runs, with the second queued behind it
                return n;
            }, Enumerable.Range(0, 100), chunkSize: 10, cancel.Token))
            {
            }
        });

        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task MapAsync_CanceledBetweenTwoResults_YieldsNoMoreOfAChunkThatHadFinished()
    {
        await using var executor = Create(workers: 1);
        using var cancel = new CancellationTokenSource();
        await using var results = executor.MapAsync(n => n, Enumerable.Range(0, 100), chunkSize: 10, cancel.Token).GetAsyncEnumerator();
        Assert.True(await results.MoveNextAsync()); // the first chunk has finished: its other nine results are ready
        Assert.Equal(0, results.Current);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await results.MoveNextAsync());
    }

    [Fact]
    public async Task MapAsync_LeavingTheLoopEarly_CancelsTheChunkInFlight_BeforeItsNextArgument()
    {
        await using var executor = Create(workers: 1);
        var atTen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var ranAfterTen = 0;
        await foreach (var result in executor.MapAsync(n =>
        {
            if (n == 10)
            {
                atTen.SetResult();
                release.Wait(); // the second chunk holds the thread here while the consumer leaves
            }
            else if (n > 10)
            {
                Interlocked.Increment(ref ranAfterTen);
            }

            return n;
        }, Enumerable.Range(0, 100), chunkSize: 10, CancellationToken.None))
        {
            Assert.Equal(0, result);
            await atTen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            break;
        }

        release.Set();
        await executor.DisposeAsync(); // drains: whatever was still to run has run (or ended) by now
        Assert.Equal(0, Volatile.Read(ref ranAfterTen));
    }

    [Fact]
    public async Task MapAsync_KeepsNoMoreChunksInFlight_ThanTheQueueAndTheThreadsHold()
    {
        await using var executor = Create(workers: 2, capacity: 1);
        var source = new CountingSource(1000);
        await using var results = executor.MapAsync(n => n, source, chunkSize: 10, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await results.MoveNextAsync());
        Assert.Equal(30, source.Pulled); // 2 threads + 1 queued, not 2 per thread
    }

    [Fact]
    public async Task MapAsync_WithAChunkSizeMeaningAllInOne_ReservesNothingForIt()
    {
        await using var executor = Create();
        var results = new List<int>();
        await foreach (var result in executor.MapAsync(n => n + 1, new[] { 1, 2, 3 }, chunkSize: int.MaxValue, CancellationToken.None))
            results.Add(result);
        Assert.Equal(new[] { 2, 3, 4 }, results);
    }

    [Fact]
    public async Task MapAsync_RefusesBadArguments_AtTheCall()
    {
        await using var executor = Create();
        Assert.Throws<ArgumentNullException>("work", () => executor.MapAsync((Func<int, int>)null!, new[] { 1 }, 1, CancellationToken.None));
        Assert.Throws<ArgumentNullException>("arguments", () => executor.MapAsync(n => n, (IEnumerable<int>)null!, 1, CancellationToken.None));
        Assert.Throws<ArgumentOutOfRangeException>("chunkSize", () => executor.MapAsync(n => n, new[] { 1 }, 0, CancellationToken.None));
        var awaitable = Assert.Throws<ArgumentException>("work", () => executor.MapAsync(n => Task.FromResult(n), new[] { 1 }, 1, CancellationToken.None));
        Assert.StartsWith("The work returns Task<Int32>; MapAsync runs synchronous work", awaitable.Message);
        Assert.Contains("use RunAsync per item", awaitable.Message);
        await executor.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => executor.MapAsync(n => n, new[] { 1 }, 1, CancellationToken.None));
    }

    /// <summary>0, 1, 2, … up to a count, recording how many were read and whether the enumerator was disposed.</summary>
    private sealed class CountingSource(int count) : IEnumerable<int>
    {
        private int _pulled;

        public int Pulled => Volatile.Read(ref _pulled);

        public bool Disposed { get; private set; }

        public IEnumerator<int> GetEnumerator()
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    Interlocked.Increment(ref _pulled);
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void BadOptions_GetClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>("WorkerCount", () => new ThreadExecutor(new ThreadExecutorOptions { WorkerCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("QueueCapacity", () => new ThreadExecutor(new ThreadExecutorOptions { QueueCapacity = 0 }));
        Assert.Throws<ArgumentException>("Name", () => new ThreadExecutor(new ThreadExecutorOptions { Name = " " }));
        Assert.Throws<ArgumentNullException>("work", () => { _ = ThreadExecutor.Compute.RunAsync((Action)null!); });
    }

    [Fact]
    public async Task SharedExecutors_AreSizedForTheirJob()
    {
        Assert.Equal(Environment.ProcessorCount, ThreadExecutor.Compute.WorkerCount);
        Assert.True(ThreadExecutor.Blocking.WorkerCount >= 16);
        Assert.Same(ThreadExecutor.Compute, ThreadExecutor.Compute);
        Assert.StartsWith("blocking #", await ThreadExecutor.Blocking.RunAsync(() => Thread.CurrentThread.Name));
    }

    private static void AssertAllExited(IEnumerable<Thread> threads)
    {
        foreach (var thread in threads)
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), thread.Name + " is still alive");
    }
}
