using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
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
public sealed class ThreadExecutor : IAsyncDisposable, IDisposable
{
    private const string Kind = "thread";

    // How many times an idle thread looks again before it parks (see SpinForWork): with 40, a burst of 1,000 tiny items
    // parked a thread about once instead of about 100 times (each park costs the submitter a futex call to undo).
    private const int SpinsBeforeParking = 40;

    private static readonly Lazy<ThreadExecutor> SharedCompute = new(() => new ThreadExecutor(ThreadExecutorOptions.ForCompute()) { _sharedAs = "ThreadExecutor.Compute" });
    private static readonly Lazy<ThreadExecutor> SharedBlocking = new(() => new ThreadExecutor(ThreadExecutorOptions.ForBlocking()) { _sharedAs = "ThreadExecutor.Blocking" });

    // Set on the process-wide instances: disposing them is a no-op, shutting them down an error.
    private string? _sharedAs;

    // Work waits in a lock-free queue. A worker that finds it empty looks again for a short while (SpinForWork: a few
    // spins, then yields of its CPU, never a sleep), then announces itself parked (_parkedThreads), looks once more, and
    // only then sleeps on _wakeUp; a submitter signals only when a worker is parked and no signal is already on its way
    // (_wakePending), and a thread that takes an item while more wait brings in another. Back-to-back work therefore
    // pays no lock and no kernel wake-up per item.
    private readonly ConcurrentQueue<IThreadWorkItem> _queue = new();
    private readonly SemaphoreSlim _wakeUp = new(0);
    private int _parkedThreads;
    private int _wakePending; // 1 while a signal on _wakeUp is on its way and no thread has woken to it yet
    // Room in the queue: the items waiting (not yet claimed or withdrawn) are _submitted.Reserved minus the room given
    // back, which each thread counts for the items it claims (its own counter in _releasedByThread, written by it alone)
    // and _withdrawn counts for items canceled while queued. Every counter sits on its own cache lines: one counter
    // that submitters and threads all changed per item cost a tiny item about a third of its hand-off (its line moved
    // between the cores twice per item). A submitter checks room against the count of given-back room it last read
    // (ReleasedSeen), which can only overstate what is queued, and adds up the threads' counters only when that
    // estimate says full: about once per QueueCapacity items while the threads keep up. Only submitters that find the
    // queue really full take _roomLock, to wait for room.
    private readonly object _roomLock = new();
    private readonly Queue<TaskCompletionSource<bool>> _roomWaiters = new();
    private readonly List<Thread> _threads = new();
    private readonly TaskCompletionSource<bool> _allExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TagList _tags;
    private readonly ExecutorGauges _gauges;
    private readonly string _operation; // the work items' Activity name, made once
    private SubmitterCounters _submitted;
    private readonly ReleasedCounter _withdrawn = new();
    private ReleasedCounter[] _releasedByThread = Array.Empty<ReleasedCounter>(); // replaced, never changed, under _threads
    private int _waitingForRoom;
    private int _liveThreads;
    private int _stopping;

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
        _tags = ExecutorTelemetry.Tags(Kind, Name);
        _operation = "concurrency.executor.run " + Name;
        // Read from the counters the executor keeps anyway: a thread that is not parked is busy (it runs an item, or is
        // between two), so the hot path pays no atomics for the gauges.
        _gauges = new ExecutorGauges(_tags, hasIdleWorkers: true, () =>
        {
            var parked = Volatile.Read(ref _parkedThreads);
            return ((int)Math.Max(0, Queued), Math.Max(0, Volatile.Read(ref _liveThreads) - parked), parked);
        });
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
        return Submit<bool>(work, ThreadWorkShape.Action, cancellationToken);
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
        return Submit<bool>(work, ThreadWorkShape.ActionOfToken, cancellationToken);
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
        RejectAwaitable<T>();
        return Submit<T>(work, ThreadWorkShape.Func, cancellationToken);
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
        RejectAwaitable<T>();
        return Submit<T>(work, ThreadWorkShape.FuncOfToken, cancellationToken);
    }

    /// <summary>
    /// Starts async <paramref name="work"/> on one of the executor's threads and completes when the task it returns
    /// completes (as <see cref="Task.Run(Func{Task})"/> does): the part before its first <see langword="await"/> runs on
    /// the executor's thread, the rest where its awaits resume.
    /// </summary>
    /// <param name="work">The async work.</param>
    /// <returns>A task that completes when the work's task completes, with its exception if it failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task RunAsync(Func<Task> work) => RunAsync(work, CancellationToken.None);

    /// <summary>Starts async <paramref name="work"/> on one of the executor's threads and completes when its task completes.</summary>
    /// <param name="work">The async work.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task that completes when the work's task completes, with its exception if it failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task RunAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<Task>(new Func<Task>(() => work() ?? throw NullTask()), ThreadWorkShape.Func, cancellationToken).Unwrap();
    }

    /// <summary>Starts async <paramref name="work"/> on one of the executor's threads, passing it the token, and completes when its task completes.</summary>
    /// <param name="work">The async work; it should observe the token to stop early.</param>
    /// <param name="cancellationToken">Cancels the work while queued, and is passed to it while it runs.</param>
    /// <returns>A task that completes when the work's task completes, with its exception if it failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<Task>(new Func<CancellationToken, Task>(ct => work(ct) ?? throw NullTask()), ThreadWorkShape.FuncOfToken, cancellationToken).Unwrap();
    }

    /// <summary>Starts async <paramref name="work"/> on one of the executor's threads and returns its task's result once it completes.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The async work.</param>
    /// <returns>A task with the result of the work's task, or its exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task<T> RunAsync<T>(Func<Task<T>> work) => RunAsync(work, CancellationToken.None);

    /// <summary>Starts async <paramref name="work"/> on one of the executor's threads and returns its task's result once it completes.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The async work.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task with the result of the work's task, or its exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<Task<T>>(new Func<Task<T>>(() => work() ?? throw NullTask()), ThreadWorkShape.Func, cancellationToken).Unwrap();
    }

    /// <summary>Starts async <paramref name="work"/> on one of the executor's threads, passing it the token, and returns its task's result once it completes.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The async work; it should observe the token to stop early.</param>
    /// <param name="cancellationToken">Cancels the work while queued, and is passed to it while it runs.</param>
    /// <returns>A task with the result of the work's task, or its exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<Task<T>>(new Func<CancellationToken, Task<T>>(ct => work(ct) ?? throw NullTask()), ThreadWorkShape.FuncOfToken, cancellationToken).Unwrap();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on every argument on the executor's threads, <paramref name="chunkSize"/> arguments
    /// per work item (as Python's <c>ProcessPoolExecutor.map(fn, items, chunksize=…)</c>; its thread pool ignores the
    /// chunk size), and yields the results in the order of the arguments. For many tiny items: a chunk crosses to a thread and back
    /// once, where one <c>RunAsync</c> per item pays that hand-off for each. A few chunks per thread are in flight at
    /// once, so memory stays bounded however long the sequence.
    /// </summary>
    /// <typeparam name="TArgument">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="work">Synchronous work for one argument (for async work, use <c>RunAsync</c>).</param>
    /// <param name="arguments">The arguments; read lazily, one chunk at a time, on the enumerating thread.</param>
    /// <param name="chunkSize">Arguments per work item (at least 1). The first call that throws fails its chunk, and the
    /// enumeration throws that exception when it reaches the chunk; later chunks are canceled.</param>
    /// <param name="cancellationToken">Ends the enumeration at its next argument or result and cancels the chunks in
    /// flight (a running chunk stops before its next argument).</param>
    /// <returns>The results, in argument order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> or <paramref name="arguments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="work"/> returns a <see cref="Task"/> or a <see cref="ValueTask"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public IAsyncEnumerable<TResult> MapAsync<TArgument, TResult>(Func<TArgument, TResult> work, IEnumerable<TArgument> arguments, int chunkSize, CancellationToken cancellationToken)
    {
        ChunkedMap.CheckArguments(work, arguments, chunkSize);
        if (AwaitableResult<TResult>.Name is { } awaitable)
            throw new ArgumentException($"The work returns {awaitable}; MapAsync runs synchronous work and would yield that task unawaited. For async work, use RunAsync per item (it awaits the task), or AsyncExecutor.MapAsync for async I/O.", nameof(work));
        ThrowIfStopping();
        // Up to two chunks per thread, queued or running (each thread has the next one ready when it finishes one), but
        // no more than the queue and the threads hold at once.
        var inFlight = (int)Math.Min(int.MaxValue, Math.Min(2L * WorkerCount, (long)QueueCapacity + WorkerCount));
        return ChunkedMap.MapAsync(
            arguments,
            chunkSize,
            inFlight,
            (chunk, token) => Submit<TResult[]>(new Func<CancellationToken, TResult[]>(ct => RunChunk(work, chunk, ct)), ThreadWorkShape.FuncOfToken, token),
            cancellationToken);
    }

    /// <summary>One chunk of <see cref="MapAsync"/>, on an executor thread: stops before the next argument once canceled.</summary>
    private static TResult[] RunChunk<TArgument, TResult>(Func<TArgument, TResult> work, TArgument[] chunk, CancellationToken cancellationToken)
    {
        var results = new TResult[chunk.Length];
        for (var i = 0; i < chunk.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[i] = work(chunk[i]);
        }

        return results;
    }

    /// <summary>
    /// Stops accepting work, lets queued work finish, and completes when every thread has exited. On the shared
    /// <see cref="Compute"/> and <see cref="Blocking"/> instances it does nothing: they serve the whole process.
    /// </summary>
    /// <returns>A task that completes when the executor's threads have all exited.</returns>
    public ValueTask DisposeAsync() => _sharedAs is null ? new(ShutdownAsync(cancelPendingWork: false)) : default;

    /// <summary>
    /// Stops accepting work without waiting: queued work finishes in the background, on threads that end with it (for
    /// containers that dispose synchronously). Does nothing on the shared instances.
    /// </summary>
    public void Dispose()
    {
        if (_sharedAs is null)
            _ = ShutdownAsync(cancelPendingWork: false);
    }

    /// <summary>Stops accepting work and completes when every thread has exited.</summary>
    /// <param name="cancelPendingWork"><see langword="true"/> to cancel work still in the queue; <see langword="false"/> to run it first.</param>
    /// <returns>A task that completes when the executor's threads have all exited.</returns>
    /// <exception cref="InvalidOperationException">This is a shared instance, which lives as long as the process.</exception>
    public Task ShutdownAsync(bool cancelPendingWork)
    {
        if (_sharedAs is not null)
            throw new InvalidOperationException(_sharedAs + " is shared by the whole process and lives as long as it, so it cannot be shut down. Create your own ThreadExecutor to control a pool's lifetime.");
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
            return _allExited.Task;

        if (cancelPendingWork)
        {
            while (_queue.TryDequeue(out var item))
            {
                if (!item.TryWithdraw())
                    continue;
                ReleaseRoom();
                item.Registration.Dispose();
                item.Fail(new OperationCanceledException("The executor '" + Name + "' shut down before this work ran."));
            }
        }

        // Submitters still waiting for room learn that no room will come.
        lock (_roomLock)
        {
            while (_roomWaiters.Count > 0)
                _roomWaiters.Dequeue().TrySetResult(false);
        }

        // One wake-up per thread: each leaves once the queue is empty.
        lock (_threads)
        {
            if (_liveThreads == 0)
                AllExited();
            else
                _wakeUp.Release(_liveThreads);
        }

        return _allExited.Task;
    }

    /// <summary>Called by a thread each time it finds the queue empty, before it checks for shutdown (tests use it to
    /// act in that window).</summary>
    internal Action? QueueFoundEmptyForTesting { get; set; }

    /// <summary>The threads started so far (for tests that check none outlives the executor).</summary>
    internal IReadOnlyList<Thread> ThreadsForTesting
    {
        get
        {
            lock (_threads)
                return _threads.ToArray();
        }
    }

    private static InvalidOperationException NullTask() => new("The async work returned a null task instead of a task to await.");

    /// <summary>
    /// Work whose result is itself an awaitable (a <see cref="ValueTask"/>, or a task through a generic call) would
    /// complete at its first <see langword="await"/>, with its end and its exceptions unobserved: refused, with the fix.
    /// </summary>
    private static void RejectAwaitable<T>()
    {
        if (AwaitableResult<T>.Name is { } name)
            throw new ArgumentException($"The work returns {name}; running it as a result would complete at its first await and lose its exceptions. Return a Task or Task<T> (call .AsTask() on a ValueTask), which RunAsync awaits.", "work");
    }

    private static class AwaitableResult<T>
    {
        public static readonly string? Name = Awaitables.IsTaskOrValueTask(typeof(T)) ? TypeNames.Display(typeof(T), full: false) : null;
    }

    /// <summary>Queues <paramref name="work"/>, a delegate of the given shape that returns <typeparamref name="T"/> (or nothing).</summary>
    private Task<T> Submit<T>(Delegate work, ThreadWorkShape shape, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<T>(cancellationToken);
        ThrowIfStopping();
        // Synchronous fast path: room in the queue.
        return TryReserveRoom() ? Enqueue<T>(work, shape, cancellationToken) : SubmitWhenThereIsRoomAsync<T>(work, shape, cancellationToken);
    }

    /// <summary>Items waiting for a thread (reserved room not yet given back); exact only when nothing moves.</summary>
    private long Queued => Volatile.Read(ref _submitted.Reserved) - Released();

    /// <summary>Room given back so far: items claimed by every thread, and items withdrawn.</summary>
    private long Released()
    {
        // A thread's counter is in the array before the thread starts, so no count it makes can be missed here by a
        // reader that looked after the thread could have made it.
        var released = Volatile.Read(ref _withdrawn.Value);
        foreach (var counter in Volatile.Read(ref _releasedByThread))
            released += Volatile.Read(ref counter.Value);
        return released;
    }

    private bool TryReserveRoom()
    {
        var reserved = Interlocked.Increment(ref _submitted.Reserved);
        if (reserved - Volatile.Read(ref _submitted.ReleasedSeen) <= QueueCapacity)
            return true;
        // The estimate says full: look at what the workers really gave back (a full fence came before, so a waiting
        // submitter that gets here after announcing itself cannot miss a release that did not see it).
        var released = Released();
        if (released > Volatile.Read(ref _submitted.ReleasedSeen))
            Volatile.Write(ref _submitted.ReleasedSeen, released); // racing submitters may write an older value: that only overstates
        if (reserved - released <= QueueCapacity)
            return true;
        Interlocked.Decrement(ref _submitted.Reserved);
        return false;
    }

    /// <summary>Back-pressure: the queue is full, so the submitter waits (asynchronously) until a worker takes an item.</summary>
    private async Task<T> SubmitWhenThereIsRoomAsync<T>(Delegate work, ThreadWorkShape shape, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waitingForRoom);
        try
        {
            while (true)
            {
                TaskCompletionSource<bool> room;
                lock (_roomLock)
                {
                    if (TryReserveRoom())
                        break;
                    ThrowIfStopping();
                    room = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _roomWaiters.Enqueue(room);
                }

                using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetCanceled(), room))
                {
                    if (!await room.Task.ConfigureAwait(false))
                        ThrowIfStopping();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingForRoom);
        }

        return await Enqueue<T>(work, shape, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An item left the queue (claimed by a worker, or withdrawn): its room goes to a waiting submitter, if any.</summary>
    private void ReleaseRoom() => ReleaseRoom(_withdrawn);

    /// <summary>An item left the queue: claimed by the thread that owns <paramref name="counter"/>, or withdrawn.</summary>
    private void ReleaseRoom(ReleasedCounter counter)
    {
        // Interlocked even on a thread's own counter: the full fence orders this count before the read of
        // _waitingForRoom below, against a submitter that announced itself waiting and then reads the counts.
        Interlocked.Increment(ref counter.Value);
        CheckInvariants();
        if (Volatile.Read(ref _waitingForRoom) == 0)
            return;
        lock (_roomLock)
        {
            while (_roomWaiters.Count > 0)
            {
                if (_roomWaiters.Dequeue().TrySetResult(true))
                    break;
            }
        }
    }

    /// <summary>Queues an item; the caller holds one unit of room, which a worker gives back when it claims the item.</summary>
    private Task<T> Enqueue<T>(Delegate work, ThreadWorkShape shape, CancellationToken cancellationToken)
    {
        ThreadWorkItem<T> item;
        if (ExecutorTelemetry.ActivitySource.HasListeners())
        {
            // The work's execution context is captured while its Activity is current; then the caller's is put back.
            var callerActivity = Activity.Current;
            item = new ThreadWorkItem<T>(work, shape, cancellationToken, ExecutorTelemetry.StartWorkItem(_operation, _tags));
            Activity.Current = callerActivity;
        }
        else
        {
            item = new ThreadWorkItem<T>(work, shape, cancellationToken, activity: null);
        }
        if (Volatile.Read(ref _stopping) == 1)
        {
            item.TryWithdraw();
            ReleaseRoom();
            item.Fail(new ObjectDisposedException(GetType().Name, "The executor '" + Name + "' is shutting down and accepts no more work."));
            return item.Task;
        }

        // Registered before the item is visible to the workers, so Run always sees the registration it must dispose.
        if (cancellationToken.CanBeCanceled)
        {
            item.Registration = cancellationToken.Register(static state =>
            {
                var (executor, queued) = ((ThreadExecutor, IThreadWorkItem))state!;
                executor.Withdraw(queued);
            }, (this, (IThreadWorkItem)item));
        }

        _queue.Enqueue(item);
        WakeOne();
        StartThreadIfNeeded();
        if (Volatile.Read(ref _stopping) == 1 && item.TryWithdraw())
        {
            // Shutdown started while this item was being queued, and no thread may be left to run it.
            ReleaseRoom();
            item.Registration.Dispose();
            item.Fail(new ObjectDisposedException(GetType().Name, "The executor '" + Name + "' is shutting down and accepts no more work."));
        }

        return item.Task;
    }

    private void Withdraw(IThreadWorkItem item)
    {
        if (!item.TryWithdraw())
            return; // a worker already took it: it observes the token itself
        ReleaseRoom();
        item.Cancel(); // at once; the worker that later dequeues it skips it
    }

    private void StartThreadIfNeeded()
    {
        // Cheap check first: most submissions find an idle thread or a full complement.
        if (Volatile.Read(ref _liveThreads) >= WorkerCount || Volatile.Read(ref _parkedThreads) > 0)
            return;
        Thread thread;
        lock (_threads)
        {
            // Under the lock that shutdown and exiting threads use, so no thread starts after the executor reported it had none.
            if (Volatile.Read(ref _stopping) == 1 || _liveThreads >= WorkerCount)
                return;
            _liveThreads++;
            var released = new ReleasedCounter();
            var byThread = new ReleasedCounter[_releasedByThread.Length + 1];
            _releasedByThread.CopyTo(byThread, 0);
            byThread[byThread.Length - 1] = released;
            Volatile.Write(ref _releasedByThread, byThread);
            thread = new Thread(() => WorkerLoop(released)) { IsBackground = true, Name = Name + " #" + (_threads.Count + 1) };
            _threads.Add(thread);
        }

        thread.Start();
    }

    /// <param name="released">This thread's count of the items it claimed.</param>
    private void WorkerLoop(ReleasedCounter released)
    {
        while (true)
        {
            if (!TryTake(out var item))
            {
                QueueFoundEmptyForTesting?.Invoke();
                if (Volatile.Read(ref _stopping) == 1)
                {
                    // Look once more before leaving: a submitter that saw the executor still running kept its item,
                    // and it may have queued it after the look above (any later submitter sees the shutdown and fails
                    // its own item), so an item could otherwise be left in the queue with no thread to run it.
                    if (!_queue.IsEmpty)
                        continue;
                    ExitThread();
                    return;
                }

                if (!SpinForWork())
                    Park();
                continue;
            }

            if (!item.TryClaim())
                continue; // withdrawn while queued; its room was already given back

            MoreHandsIfMoreWork();
            ReleaseRoom(released);
            var started = 0L;
            var queuedFor = item.EnqueuedAt != 0 && ExecutorTelemetry.TimeInQueue.Enabled;
            if (queuedFor || ExecutorTelemetry.Duration.Enabled)
            {
                started = Stopwatch.GetTimestamp();
                if (queuedFor)
                    ExecutorTelemetry.TimeInQueue.Record(ExecutorTelemetry.Seconds(item.EnqueuedAt, started), _tags);
            }

            var error = item.Run();
            if (started != 0 || ExecutorTelemetry.WorkItemCount.Enabled)
                ExecutorTelemetry.Finished(_tags, started, error);
        }
    }

    /// <summary>Takes the next item, if any.</summary>
    private bool TryTake(out IThreadWorkItem item)
    {
        return _queue.TryDequeue(out item!);
    }

    /// <summary>
    /// Looks for work a little longer before parking: a few short spins, then yields of the CPU (to a submitter on the
    /// same core), never a sleep. True when work (or shutdown) came.
    /// </summary>
    private bool SpinForWork()
    {
        var spinner = new SpinWait();
        for (var i = 0; i < SpinsBeforeParking; i++)
        {
            if (!_queue.IsEmpty || Volatile.Read(ref _stopping) == 1)
                return true;
            // Once spinning would yield, yield here instead: SpinWait would also sleep a millisecond now and then.
            if (spinner.NextSpinWillYield)
                Thread.Yield();
            else
                spinner.SpinOnce();
        }

        return false;
    }

    /// <summary>Sleeps until a submitter (or shutdown) wakes this thread; announces itself first so no wake-up is lost.</summary>
    private void Park()
    {
        Interlocked.Increment(ref _parkedThreads);
        // Look once more after announcing: an item queued before the announcement was seen is taken now.
        if (_queue.IsEmpty && Volatile.Read(ref _stopping) == 0)
            _wakeUp.Wait();
        // Cleared whether or not this thread slept: a signal it did not take wakes some other thread, or nobody, later
        // (a spare count costs one empty look); a flag left set would keep every later submitter from waking anyone.
        Volatile.Write(ref _wakePending, 0);
        Interlocked.Decrement(ref _parkedThreads);
        CheckInvariants();
    }

    /// <summary>
    /// A thread took an item and more are waiting: another thread joins in — a parked one, or a new one while there are
    /// fewer than <see cref="WorkerCount"/> — so items submitted in a burst run side by side, even ones that block.
    /// </summary>
    private void MoreHandsIfMoreWork()
    {
        if (_queue.IsEmpty)
            return;
        WakeOne();
        StartThreadIfNeeded();
    }

    /// <summary>
    /// Wakes one parked thread, unless a wake-up is already on its way: a burst of submissions costs one signal, not
    /// one each (every signal is a lock and a futex call); each thread that wakes to more work passes it on.
    /// </summary>
    private void WakeOne()
    {
        if (Volatile.Read(ref _parkedThreads) > 0 && Interlocked.CompareExchange(ref _wakePending, 1, 0) == 0)
            _wakeUp.Release();
    }

    private void ExitThread()
    {
        lock (_threads)
        {
            if (--_liveThreads == 0)
                AllExited();
        }
    }

    /// <summary>
    /// What the lock-free counters must always satisfy (checked in debug builds, where a broken increment or decrement
    /// would otherwise show up only as a hang or a wrong gauge much later).
    /// </summary>
    [Conditional("DEBUG")]
    private void CheckInvariants()
    {
        // Released first: read the other way round, a reservation and its release between the two reads would look negative.
        var released = Released();
        Debug.Assert(Volatile.Read(ref _submitted.Reserved) - released >= 0, "more room given back than was taken");
        Debug.Assert(Volatile.Read(ref _waitingForRoom) >= 0, "a submitter stopped waiting for room twice");
        Debug.Assert(Volatile.Read(ref _parkedThreads) >= 0, "a thread woke up twice");
        Debug.Assert(Volatile.Read(ref _liveThreads) <= WorkerCount, "more threads than WorkerCount");
        Debug.Assert(_gauges.Queued >= 0 && _gauges.Busy >= 0 && _gauges.Idle >= 0, "a gauge went negative");
    }

    /// <summary>The last thread has left: the executor stops being reported, then its shutdown completes.</summary>
    private void AllExited()
    {
        _gauges.Unregister();
        _allExited.TrySetResult(true);
    }

    /// <summary>What submitters write: room reserved so far, and the last count of released room they read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 2 * Padding + 16)]
    private struct SubmitterCounters
    {
        [FieldOffset(Padding)] public long Reserved;
        [FieldOffset(Padding + 8)] public long ReleasedSeen;
    }

    /// <summary>Room given back so far by one thread (items it claimed), or for withdrawn items.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 2 * Padding + 8)]
    private sealed class ReleasedCounter
    {
        [FieldOffset(Padding)] public long Value;
    }

    // Bytes on both sides of each counter, so nothing else shares its cache lines (two lines: x64 also fetches lines in
    // pairs).
    private const int Padding = 128;

    private void ThrowIfStopping()
    {
        if (Volatile.Read(ref _stopping) == 1)
            throw new ObjectDisposedException(GetType().Name, "The executor '" + Name + "' is shutting down and accepts no more work.");
    }
}
