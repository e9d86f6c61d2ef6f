using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Runtime.Diagnostics;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// Runs synchronous work on dedicated background threads, off the shared thread pool: <see cref="Compute"/> for
/// CPU-bound work (so it never queues ahead of I/O continuations) and <see cref="Blocking"/> for calls that block and have
/// no async alternative (so they never starve the pool). The queue is bounded: when it is full, submitting waits.
/// </summary>
/// <remarks>
/// Queued work canceled through its token ends canceled at once; running work sees the token cooperatively. Exceptions
/// surface on the returned task with their original type. The submitter's <see cref="ExecutionContext"/> (async locals,
/// the current Activity) flows to the work. <see cref="DisposeAsync"/> lets queued work finish;
/// <see cref="ShutdownAsync(bool)"/> with <see langword="true"/> cancels it; either way no thread outlives the executor.
/// </remarks>
public sealed class ThreadExecutor : IAsyncDisposable
{
    private const string Kind = "thread";

    private static readonly Lazy<ThreadExecutor> SharedCompute = new(() => new ThreadExecutor(ThreadExecutorOptions.ForCompute()));
    private static readonly Lazy<ThreadExecutor> SharedBlocking = new(() => new ThreadExecutor(ThreadExecutorOptions.ForBlocking()));

    private readonly object _lock = new();
    private readonly LinkedList<ThreadWorkItem> _queue = new();
    private readonly SemaphoreSlim _capacity;
    private readonly List<Thread> _threads = new();
    private readonly TaskCompletionSource<bool> _allExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TagList _tags;
    private readonly TagList _idleTags;
    private readonly TagList _busyTags;
    private int _liveThreads;
    private int _idleThreads;
    private bool _stopping;

    /// <summary>Creates an executor; its threads start on demand.</summary>
    /// <param name="options">Name, thread count and queue capacity; <see langword="null"/> for compute defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ThreadExecutor(ThreadExecutorOptions? options)
    {
        options ??= ThreadExecutorOptions.ForCompute();
        options.Validate();
        Name = options.Name;
        WorkerCount = options.WorkerCount;
        QueueCapacity = options.QueueCapacity;
        _capacity = new SemaphoreSlim(QueueCapacity, QueueCapacity);
        _tags = ExecutorTelemetry.Tags(Kind, Name);
        _idleTags = _tags;
        _idleTags.Add(ExecutorTelemetry.StateTag, "idle");
        _busyTags = _tags;
        _busyTags.Add(ExecutorTelemetry.StateTag, "busy");
    }

    /// <summary>The shared executor for CPU-bound work (one thread per processor). It lives as long as the process.</summary>
    public static ThreadExecutor Compute => SharedCompute.Value;

    /// <summary>The shared executor for blocking calls with no async alternative. It lives as long as the process.</summary>
    public static ThreadExecutor Blocking => SharedBlocking.Value;

    /// <summary>The executor's name (thread names, metrics, traces).</summary>
    public string Name { get; }

    /// <summary>The most threads that run work at once.</summary>
    public int WorkerCount { get; }

    /// <summary>The most work items that wait for a thread before submitting waits.</summary>
    public int QueueCapacity { get; }

    /// <summary>Runs <paramref name="work"/> on one of the executor's threads.</summary>
    /// <param name="work">The work.</param>
    /// <returns>A task that completes when the work has run, with its exception if it threw.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task RunAsync(Action work) => RunAsync(work, CancellationToken.None);

    /// <summary>Runs <paramref name="work"/> on one of the executor's threads.</summary>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task that completes when the work has run, with its exception if it threw.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task RunAsync(Action work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<bool>(_ => { work(); return true; }, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on one of the executor's threads, passing it the token to observe.</summary>
    /// <param name="work">The work; it should observe the token to stop early.</param>
    /// <param name="cancellationToken">Cancels the work while queued, and is passed to it while it runs.</param>
    /// <returns>A task that completes when the work has run, with its exception if it threw.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task RunAsync(Action<CancellationToken> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<bool>(ct => { work(ct); return true; }, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on one of the executor's threads and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work.</param>
    /// <returns>A task with the work's result, or its exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task<T> RunAsync<T>(Func<T> work) => RunAsync(work, CancellationToken.None);

    /// <summary>Runs <paramref name="work"/> on one of the executor's threads and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task with the work's result, or its exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit(_ => work(), cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on one of the executor's threads, passing it the token, and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work; it should observe the token to stop early.</param>
    /// <param name="cancellationToken">Cancels the work while queued, and is passed to it while it runs.</param>
    /// <returns>A task with the work's result, or its exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit(work, cancellationToken);
    }

    /// <summary>Stops accepting work, lets queued work finish, and completes when every thread has exited.</summary>
    /// <returns>A task that completes when the executor's threads have all exited.</returns>
    public ValueTask DisposeAsync() => new(ShutdownAsync(cancelPendingWork: false));

    /// <summary>Stops accepting work and completes when every thread has exited.</summary>
    /// <param name="cancelPendingWork"><see langword="true"/> to cancel work still in the queue; <see langword="false"/> to run it first.</param>
    /// <returns>A task that completes when the executor's threads have all exited.</returns>
    public Task ShutdownAsync(bool cancelPendingWork)
    {
        List<ThreadWorkItem>? canceled = null;
        lock (_lock)
        {
            if (!_stopping)
            {
                _stopping = true;
                if (cancelPendingWork && _queue.Count > 0)
                {
                    canceled = new List<ThreadWorkItem>(_queue);
                    foreach (var item in canceled)
                        item.Node = null;
                    _queue.Clear();
                }

                Monitor.PulseAll(_lock);
                if (_liveThreads == 0)
                    _allExited.TrySetResult(true);
            }
        }

        if (canceled is not null)
        {
            ExecutorTelemetry.QueueLength.Add(-canceled.Count, _tags);
            foreach (var item in canceled)
            {
                _capacity.Release();
                item.Registration.Dispose();
                item.Fail(new OperationCanceledException("The executor '" + Name + "' shut down before this work ran."));
            }
        }

        return _allExited.Task;
    }

    /// <summary>The threads started so far (for tests that check none outlives the executor).</summary>
    internal IReadOnlyList<Thread> ThreadsForTesting
    {
        get
        {
            lock (_lock)
                return _threads.ToArray();
        }
    }

    private Task<T> Submit<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<T>(cancellationToken);
        ThrowIfStopping();
        // Synchronous fast path: room in the queue.
        if (_capacity.Wait(0))
            return Enqueue(work, cancellationToken);
        return SubmitWhenThereIsRoomAsync(work, cancellationToken);
    }

    private async Task<T> SubmitWhenThereIsRoomAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        await _capacity.WaitAsync(cancellationToken).ConfigureAwait(false); // back-pressure: the queue is full
        return await Enqueue(work, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues an item; the caller holds one unit of capacity, which a thread gives back when it takes the item.</summary>
    private Task<T> Enqueue<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        // The work's execution context is captured while its Activity is current; then the caller's is put back.
        var callerActivity = Activity.Current;
        var item = new ThreadWorkItem<T>(work, cancellationToken, ExecutorTelemetry.StartWorkItem("concurrency.executor.run " + Name, _tags));
        Activity.Current = callerActivity;
        // Registered before the item is visible to the threads, so Run always sees the registration it must dispose.
        // A cancellation that fires now finds the item not queued yet; the check under the lock below catches it.
        if (cancellationToken.CanBeCanceled)
        {
            item.Registration = cancellationToken.Register(static state =>
            {
                var (executor, queued) = ((ThreadExecutor, ThreadWorkItem))state!;
                executor.CancelQueued(queued);
            }, (this, (ThreadWorkItem)item));
        }

        var startThread = false;
        Exception? rejected = null;
        lock (_lock)
        {
            if (_stopping)
                rejected = new ObjectDisposedException(GetType().Name, "The executor '" + Name + "' is shutting down and accepts no more work.");
            else if (cancellationToken.IsCancellationRequested)
                rejected = new OperationCanceledException(cancellationToken);
            else
            {
                item.Node = _queue.AddLast(item);
                if (_idleThreads > 0)
                {
                    Monitor.Pulse(_lock);
                }
                else if (_liveThreads < WorkerCount)
                {
                    startThread = true;
                    _liveThreads++;
                }
            }
        }

        if (rejected is not null)
        {
            _capacity.Release();
            item.Registration.Dispose();
            if (rejected is OperationCanceledException)
                item.Cancel();
            else
                item.Fail(rejected);
            return item.Task;
        }

        ExecutorTelemetry.QueueLength.Add(1, _tags);
        if (startThread)
            StartThread();
        return item.Task;
    }

    private void CancelQueued(ThreadWorkItem item)
    {
        lock (_lock)
        {
            if (item.Node is null)
                return; // already running (it observes the token itself) or finished
            _queue.Remove(item.Node);
            item.Node = null;
        }

        ExecutorTelemetry.QueueLength.Add(-1, _tags);
        _capacity.Release();
        item.Cancel();
    }

    private void StartThread()
    {
        var thread = new Thread(WorkerLoop) { IsBackground = true };
        lock (_lock)
        {
            thread.Name = Name + " #" + (_threads.Count + 1);
            _threads.Add(thread);
        }

        thread.Start();
    }

    private void WorkerLoop()
    {
        while (true)
        {
            ThreadWorkItem item;
            lock (_lock)
            {
                while (_queue.Count == 0)
                {
                    if (_stopping)
                    {
                        ExitThread();
                        return;
                    }

                    _idleThreads++;
                    ExecutorTelemetry.WorkerCount.Add(1, _idleTags);
                    Monitor.Wait(_lock);
                    _idleThreads--;
                    ExecutorTelemetry.WorkerCount.Add(-1, _idleTags);
                }

                item = _queue.First!.Value;
                _queue.RemoveFirst();
                item.Node = null;
            }

            // Outside the lock: give the queue slot back, run, record.
            _capacity.Release();
            ExecutorTelemetry.QueueLength.Add(-1, _tags);
            var started = Stopwatch.GetTimestamp();
            if (ExecutorTelemetry.TimeInQueue.Enabled)
                ExecutorTelemetry.TimeInQueue.Record(ExecutorTelemetry.Seconds(item.EnqueuedAt, started), _tags);
            ExecutorTelemetry.WorkerCount.Add(1, _busyTags);
            var error = item.Run();
            ExecutorTelemetry.WorkerCount.Add(-1, _busyTags);
            ExecutorTelemetry.Finished(_tags, started, error);
        }
    }

    /// <summary>Called under the lock by a thread that leaves.</summary>
    private void ExitThread()
    {
        _liveThreads--;
        if (_liveThreads == 0)
            _allExited.TrySetResult(true);
    }

    private void ThrowIfStopping()
    {
        if (Volatile.Read(ref _stopping))
            throw new ObjectDisposedException(GetType().Name, "The executor '" + Name + "' is shutting down and accepts no more work.");
    }
}
