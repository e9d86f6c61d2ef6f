using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Runtime.Diagnostics;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// Runs many asynchronous I/O operations with bounded concurrency: single calls (<see cref="RunAsync{T}"/>), whole
/// sequences (<see cref="ForEachAsync{T}(IEnumerable{T}, Func{T, CancellationToken, ValueTask}, CancellationToken)"/>),
/// and sequences mapped to results in source order or as they finish (<c>MapAsync</c>, <c>MapUnorderedAsync</c>) —
/// with a per-item timeout, cancellation, and first-error or collect-all failure handling. Memory is bounded by the
/// window (<see cref="AsyncExecutorOptions.Window"/>), not by the size of the input.
/// </summary>
public sealed class AsyncExecutor : IAsyncDisposable, IDisposable
{
    private const string Kind = "async";

    private readonly SemaphoreSlim _slots;
    private readonly TagList _tags;
    private readonly ExecutorGauges _gauges;
    private readonly string _operationName;
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _lock = new();
    private TaskCompletionSource<bool>? _drained;
    private int _running;
    private bool _stopping;

    /// <summary>Creates an executor.</summary>
    /// <param name="options">Concurrency, window, timeout and error mode; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AsyncExecutor(AsyncExecutorOptions? options)
    {
        // A copy: later changes to the caller's object reach neither this executor nor its validation.
        Options = (options ?? new AsyncExecutorOptions()).Clone();
        Options.Validate();
        Name = Options.Name;
        WorkerCount = Options.WorkerCount;
        _slots = new SemaphoreSlim(WorkerCount, WorkerCount);
        _tags = ExecutorTelemetry.Tags(Kind, Name);
        _gauges = new ExecutorGauges(_tags, hasIdleWorkers: false);
        _operationName = "concurrency.executor.run " + Name;
    }

    /// <summary>The executor's name.</summary>
    public string Name { get; }

    /// <summary>The most work items in flight at once, across every call on this executor.</summary>
    public int WorkerCount { get; }

    private AsyncExecutorOptions Options { get; }

    /// <summary>Runs one asynchronous operation when a slot is free (waiting for one is the back-pressure).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The operation; it receives a token that is canceled on timeout, cancellation or <see cref="ShutdownAsync(bool)"/> with <see langword="true"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a slot and the operation.</param>
    /// <returns>The operation's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor was disposed.</exception>
    /// <exception cref="TimeoutException">The operation ran longer than <see cref="AsyncExecutorOptions.ItemTimeout"/>.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        EnterCall();
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            var queued = Stopwatch.GetTimestamp();
            _gauges.AddQueued(1);
            try
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw DisposedError();
            }
            finally
            {
                _gauges.AddQueued(-1);
            }

            if (ExecutorTelemetry.TimeInQueue.Enabled)
                ExecutorTelemetry.TimeInQueue.Record(ExecutorTelemetry.Seconds(queued, Stopwatch.GetTimestamp()), _tags);
            try
            {
                return await InvokeAsync(work, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            ExitRunning();
        }
    }

    /// <summary>Runs one asynchronous operation when a slot is free.</summary>
    /// <param name="work">The operation; it receives a token that is canceled on timeout, cancellation or <see cref="ShutdownAsync(bool)"/> with <see langword="true"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a slot and the operation.</param>
    /// <returns>A task that completes when the operation has.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The executor was disposed.</exception>
    /// <exception cref="TimeoutException">The operation ran longer than <see cref="AsyncExecutorOptions.ItemTimeout"/>.</exception>
    public Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return RunAsync(async ct =>
        {
            await work(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> for every item of <paramref name="source"/>, at most <see cref="WorkerCount"/> at once.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">The items; read lazily, one at a time, as workers become free.</param>
    /// <param name="body">The operation for one item.</param>
    /// <param name="cancellationToken">Stops taking items and cancels the running ones.</param>
    /// <returns>A task that completes when every item is done.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">In <see cref="ErrorMode.CollectAll"/>, the failures of every item that failed.</exception>
    public Task ForEachAsync<T>(IEnumerable<T> source, Func<T, CancellationToken, ValueTask> body, CancellationToken cancellationToken)
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        if (body is null)
            throw new ArgumentNullException(nameof(body));
        return ForEachCoreAsync(_ => ItemSource<T>.From(source), body, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> for every item of <paramref name="source"/>, at most <see cref="WorkerCount"/> at once.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">The items; read lazily, one at a time, as workers become free.</param>
    /// <param name="body">The operation for one item.</param>
    /// <param name="cancellationToken">Stops taking items and cancels the running ones.</param>
    /// <returns>A task that completes when every item is done.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">In <see cref="ErrorMode.CollectAll"/>, the failures of every item that failed.</exception>
    public Task ForEachAsync<T>(IAsyncEnumerable<T> source, Func<T, CancellationToken, ValueTask> body, CancellationToken cancellationToken)
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        if (body is null)
            throw new ArgumentNullException(nameof(body));
        return ForEachCoreAsync(ct => ItemSource<T>.From(source, ct), body, cancellationToken);
    }

    /// <summary>Maps every item with <paramref name="body"/>, at most <see cref="WorkerCount"/> at once, yielding results in source order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="source">The items; read lazily as the window allows.</param>
    /// <param name="body">The operation for one item.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The results, in the order of <paramref name="source"/> (failed items are skipped in <see cref="ErrorMode.CollectAll"/>).</returns>
    public IAsyncEnumerable<TResult> MapAsync<T, TResult>(IEnumerable<T> source, Func<T, CancellationToken, ValueTask<TResult>> body, CancellationToken cancellationToken) =>
        MapCoreAsync(ArgumentSource(source), body, ordered: true, cancellationToken);

    /// <summary>Maps every item with <paramref name="body"/>, at most <see cref="WorkerCount"/> at once, yielding results in source order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="source">The items; read lazily as the window allows.</param>
    /// <param name="body">The operation for one item.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The results, in the order of <paramref name="source"/> (failed items are skipped in <see cref="ErrorMode.CollectAll"/>).</returns>
    public IAsyncEnumerable<TResult> MapAsync<T, TResult>(IAsyncEnumerable<T> source, Func<T, CancellationToken, ValueTask<TResult>> body, CancellationToken cancellationToken) =>
        MapCoreAsync(ArgumentSource(source), body, ordered: true, cancellationToken);

    /// <summary>Maps every item with <paramref name="body"/>, at most <see cref="WorkerCount"/> at once, yielding results as they finish.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="source">The items; read lazily as the window allows.</param>
    /// <param name="body">The operation for one item.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The results, in completion order.</returns>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(IEnumerable<T> source, Func<T, CancellationToken, ValueTask<TResult>> body, CancellationToken cancellationToken) =>
        MapCoreAsync(ArgumentSource(source), body, ordered: false, cancellationToken);

    /// <summary>Maps every item with <paramref name="body"/>, at most <see cref="WorkerCount"/> at once, yielding results as they finish.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="source">The items; read lazily as the window allows.</param>
    /// <param name="body">The operation for one item.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The results, in completion order.</returns>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(IAsyncEnumerable<T> source, Func<T, CancellationToken, ValueTask<TResult>> body, CancellationToken cancellationToken) =>
        MapCoreAsync(ArgumentSource(source), body, ordered: false, cancellationToken);

    /// <summary>Stops accepting work, lets the work already accepted finish, and completes when it has all ended.</summary>
    /// <returns>A task that completes when no work of this executor runs any more.</returns>
    public ValueTask DisposeAsync() => new(ShutdownAsync(cancelPendingWork: false));

    /// <summary>Stops accepting work without waiting: the work already accepted finishes in the background (for containers that dispose synchronously).</summary>
    public void Dispose() => _ = ShutdownAsync(cancelPendingWork: false);

    /// <summary>Stops accepting work and completes when the work already accepted has ended.</summary>
    /// <param name="cancelPendingWork"><see langword="true"/> to cancel the token of running work and of calls waiting
    /// for a slot (they end with <see cref="ObjectDisposedException"/> or their own cancellation); <see langword="false"/>
    /// to let them finish.</param>
    /// <returns>A task that completes when no work of this executor runs any more.</returns>
    public Task ShutdownAsync(bool cancelPendingWork)
    {
        lock (_lock)
        {
            _stopping = true;
            if (cancelPendingWork && !_disposed.IsCancellationRequested)
                _disposed.Cancel();
            _drained ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running == 0)
                Drained();
            return _drained.Task;
        }
    }

    private async Task<T> InvokeAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var item = new ItemScope(this, cancellationToken);
        _gauges.AddBusy(1);
        try
        {
            var value = await work(item.Token).ConfigureAwait(false);
            item.Succeeded();
            return value;
        }
        catch (Exception e)
        {
            var error = item.Failed(e);
            if (error == e)
                throw;
            throw error;
        }
        finally
        {
            _gauges.AddBusy(-1);
        }
    }

    private async Task ForEachCoreAsync<T>(Func<CancellationToken, ItemSource<T>> open, Func<T, CancellationToken, ValueTask> body, CancellationToken cancellationToken)
    {
        EnterCall();
        try
        {
            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            var failures = new FailureCollector(Options.ErrorMode, run);
            var source = open(run.Token);
            await using (source.ConfigureAwait(false))
            {
                var workers = new Task[WorkerCount];
                for (var i = 0; i < workers.Length; i++)
                    workers[i] = Task.Run(() => ForEachWorkerAsync(source, body, failures, run.Token), CancellationToken.None);
                await Task.WhenAll(workers).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            failures.ThrowIfAny();
            if (_disposed.IsCancellationRequested)
                throw DisposedError();
        }
        finally
        {
            ExitRunning();
        }
    }

    private async Task ForEachWorkerAsync<T>(ItemSource<T> source, Func<T, CancellationToken, ValueTask> body, FailureCollector failures, CancellationToken run)
    {
        if (!await TryTakeSlotAsync(run).ConfigureAwait(false))
            return;
        try
        {
            while (!run.IsCancellationRequested)
            {
                (bool Has, T Item, long Index) next;
                try
                {
                    next = await source.NextAsync(null, run).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (run.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    failures.Add(e); // the source itself failed
                    return;
                }

                if (!next.Has)
                    return;
                // Inline, not a per-item async method: one continuation per item, as Parallel.ForEachAsync has
                // (a nested async method measured a second hop and a boxed state machine per item).
                Exception? error = null;
                var item = new ItemScope(this, run);
                try
                {
                    await body(next.Item, item.Token).ConfigureAwait(false);
                    item.Succeeded();
                }
                catch (Exception e)
                {
                    error = item.Failed(e);
                }
                finally
                {
                    item.Dispose();
                }

                if (error is not null && !(error is OperationCanceledException && run.IsCancellationRequested))
                    failures.Add(error);
            }
        }
        finally
        {
            ReleaseSlot();
        }
    }

    private async IAsyncEnumerable<TResult> MapCoreAsync<T, TResult>(
        Func<CancellationToken, ItemSource<T>> open,
        Func<T, CancellationToken, ValueTask<TResult>> body,
        bool ordered,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (body is null)
            throw new ArgumentNullException(nameof(body));
        EnterCall();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var failures = new FailureCollector(Options.ErrorMode, run);
        var window = new SemaphoreSlim(Options.EffectiveWindow, Options.EffectiveWindow);
        // Ordered: one promise per item, in the order items were taken. Unordered: results as they finish.
        // Both channels hold at most Window entries, because a worker needs a window slot before it takes an item.
        var results = Channel.CreateUnbounded<Task<(bool Ok, TResult Value)>>(new UnboundedChannelOptions { SingleReader = true });
        ItemSource<T> source;
        try
        {
            source = open(run.Token);
        }
        catch
        {
            ExitRunning();
            throw;
        }

        var workers = new Task[WorkerCount];
        for (var i = 0; i < workers.Length; i++)
            workers[i] = Task.Run(() => MapWorkerAsync(source, body, ordered, window, results.Writer, failures, run.Token), CancellationToken.None);
        var allDone = CompleteWhenWorkersEndAsync(workers, source, results.Writer);
        try
        {
            while (await results.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (results.Reader.TryRead(out var pending))
                {
                    var (ok, value) = await pending.ConfigureAwait(false);
                    window.Release();
                    if (ok)
                        yield return value;
                    else if (Options.ErrorMode == ErrorMode.FirstError)
                        failures.ThrowIfAny();
                }
            }
        }
        finally
        {
            // The consumer stopped (finished, failed or broke out early): stop the workers and wait for them.
            run.Cancel();
            while (results.Reader.TryRead(out _))
                window.Release();
            await allDone.ConfigureAwait(false);
            window.Dispose();
            ExitRunning();
        }

        cancellationToken.ThrowIfCancellationRequested();
        failures.ThrowIfAny();
        if (_disposed.IsCancellationRequested)
            throw DisposedError();
    }

    private async Task MapWorkerAsync<T, TResult>(
        ItemSource<T> source,
        Func<T, CancellationToken, ValueTask<TResult>> body,
        bool ordered,
        SemaphoreSlim window,
        ChannelWriter<Task<(bool Ok, TResult Value)>> results,
        FailureCollector failures,
        CancellationToken run)
    {
        if (!await TryTakeSlotAsync(run).ConfigureAwait(false))
            return;
        try
        {
            await MapItemsAsync().ConfigureAwait(false);
        }
        finally
        {
            ReleaseSlot();
        }

        async Task MapItemsAsync()
        {
            while (!run.IsCancellationRequested)
            {
                try
                {
                    await window.WaitAsync(run).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                TaskCompletionSource<(bool, TResult)>? promise = null;
                (bool Has, T Item, long Index) next;
                try
                {
                    next = await source.NextAsync(
                        ordered ? _ => results.TryWrite((promise = new TaskCompletionSource<(bool, TResult)>(TaskCreationOptions.RunContinuationsAsynchronously)).Task) : null,
                        run).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !run.IsCancellationRequested)
                {
                    failures.Add(e);
                    window.Release();
                    return;
                }
                catch (OperationCanceledException)
                {
                    window.Release();
                    return;
                }

                if (!next.Has)
                {
                    window.Release();
                    return;
                }

                Exception? error = null;
                TResult value = default!;
                var item = new ItemScope(this, run);
                try
                {
                    value = await body(next.Item, item.Token).ConfigureAwait(false);
                    item.Succeeded();
                }
                catch (Exception e)
                {
                    error = item.Failed(e);
                }
                finally
                {
                    item.Dispose();
                }

                if (error is not null && !(error is OperationCanceledException && run.IsCancellationRequested))
                    failures.Add(error);
                (bool, TResult) outcome = (error is null, value);

                if (ordered)
                    promise!.TrySetResult(outcome);
                else
                    results.TryWrite(Task.FromResult(outcome));
            }
        }
    }

    /// <summary>One item of a run. Returns its failure instead of throwing, so a worker loop pays no exception rethrow.</summary>
    /// <summary>
    /// What every work item gets: its Activity (current for the item's async flow), its timeout (a linked token only when
    /// there is one), and its metrics; a cancellation caused by the timeout becomes a <see cref="TimeoutException"/>.
    /// </summary>
    private readonly struct ItemScope : IDisposable
    {
        private readonly AsyncExecutor _executor;
        private readonly Activity? _activity;
        private readonly CancellationTokenSource? _timeout;
        private readonly CancellationToken _outer;
        private readonly long _started;

        public ItemScope(AsyncExecutor executor, CancellationToken outer)
        {
            _executor = executor;
            _outer = outer;
            _activity = ExecutorTelemetry.StartWorkItem(executor._operationName, executor._tags);
            _timeout = executor.Options.ItemTimeout == Timeout.InfiniteTimeSpan ? null : CancellationTokenSource.CreateLinkedTokenSource(outer);
            _timeout?.CancelAfter(executor.Options.ItemTimeout);
            _started = Stopwatch.GetTimestamp();
        }

        public CancellationToken Token => _timeout?.Token ?? _outer;

        public void Succeeded() => ExecutorTelemetry.Finished(_executor._tags, _started, null);

        /// <summary>Records the failure and returns what the caller should see (a timeout as <see cref="TimeoutException"/>).</summary>
        public Exception Failed(Exception error)
        {
            if (error is OperationCanceledException && _timeout is not null && _timeout.IsCancellationRequested && !_outer.IsCancellationRequested)
                error = new TimeoutException("The work item of executor '" + _executor.Name + "' ran longer than its ItemTimeout of " + _executor.Options.ItemTimeout + ".", error);
            _activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            ExecutorTelemetry.Finished(_executor._tags, _started, error);
            return error;
        }

        public void Dispose()
        {
            _timeout?.Dispose();
            _activity?.Dispose();
        }
    }

    /// <summary>A run's worker holds one of the executor's slots for its whole life, so WorkerCount bounds every call together.</summary>
    private async ValueTask<bool> TryTakeSlotAsync(CancellationToken run)
    {
        try
        {
            await _slots.WaitAsync(run).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        EnterRunning();
        _gauges.AddBusy(1);
        return true;
    }

    /// <summary>Disposed and nothing runs any more: the executor stops being reported, then its disposal completes.</summary>
    private void Drained()
    {
        _gauges.Unregister();
        _drained?.TrySetResult(true);
    }

    private void ReleaseSlot()
    {
        _gauges.AddBusy(-1);
        _slots.Release();
        ExitRunning();
    }

    private static async Task CompleteWhenWorkersEndAsync<T, TResult>(Task[] workers, ItemSource<T> source, ChannelWriter<Task<(bool Ok, TResult Value)>> results)
    {
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
            results.TryComplete();
        }
    }

    private static Func<CancellationToken, ItemSource<T>> ArgumentSource<T>(IEnumerable<T> source)
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        return _ => ItemSource<T>.From(source);
    }

    private static Func<CancellationToken, ItemSource<T>> ArgumentSource<T>(IAsyncEnumerable<T> source)
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        return ct => ItemSource<T>.From(source, ct);
    }

    private void EnterRunning()
    {
        lock (_lock)
            _running++;
    }

    private void ExitRunning()
    {
        lock (_lock)
        {
            _running--;
            if (_running == 0 && _drained is not null)
                Drained();
        }
    }

    /// <summary>Admits one call (counted until it ends, so a drain waits for it), or refuses it once shutdown has begun.</summary>
    private void EnterCall()
    {
        lock (_lock)
        {
            if (_stopping)
                throw DisposedError();
            _running++;
        }
    }

    private ObjectDisposedException DisposedError() =>
        new(GetType().Name, "The executor '" + Name + "' was disposed and accepts no more work.");
}
