using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Runtime.Diagnostics;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>One queued call, as the executor's threads see it: claim it, run it, or end it without running.</summary>
internal interface IThreadWorkItem
{
    /// <summary>When the item was queued, or 0 when nobody listened to the time in queue then.</summary>
    long EnqueuedAt { get; }

    /// <summary>The registration that withdraws the item when its token is canceled while it waits.</summary>
    CancellationTokenRegistration Registration { get; set; }

    /// <summary>A worker takes the item to run it; false when it was withdrawn (canceled) while queued.</summary>
    bool TryClaim();

    /// <summary>Withdraws the item while it still waits in the queue; false when a worker already took it.</summary>
    bool TryWithdraw();

    /// <summary>Runs the work on the calling (worker) thread, in the submitter's execution context. Returns the failure, if any.</summary>
    Exception? Run();

    /// <summary>Ends the item canceled (it never ran).</summary>
    void Cancel();

    /// <summary>Ends the item with an error (it never ran).</summary>
    void Fail(Exception error);
}

/// <summary>How a work item's delegate is called (kept beside it, so running it needs no type test).</summary>
internal enum ThreadWorkShape : byte
{
    /// <summary>A <see cref="Func{TResult}"/>.</summary>
    Func,

    /// <summary>A <see cref="Func{T, TResult}"/> of the token.</summary>
    FuncOfToken,

    /// <summary>An <see cref="Action"/>; the result is the default.</summary>
    Action,

    /// <summary>An <see cref="Action{T}"/> of the token; the result is the default.</summary>
    ActionOfToken,
}

/// <summary>
/// A queued call that produces a <typeparamref name="T"/>: what to run, the context it runs in, and (being its own
/// <see cref="TaskCompletionSource{TResult}"/>) where its result goes — one object per item besides its task, where a
/// separate completion source and a wrapper delegate were two more.
/// </summary>
internal sealed class ThreadWorkItem<T> : TaskCompletionSource<T>, IThreadWorkItem
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Withdrawn = 2;

    private readonly Delegate _work;
    private readonly ThreadWorkShape _shape;
    private readonly CancellationToken _cancellationToken;
    private readonly ExecutionContext? _context;
    private readonly Activity? _activity;
    private int _state;
    private Exception? _failure;

    public ThreadWorkItem(Delegate work, ThreadWorkShape shape, CancellationToken cancellationToken, Activity? activity)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _work = work;
        _shape = shape;
        _cancellationToken = cancellationToken;
        _activity = activity;
        // Captured after the Activity started, so the work sees it as Activity.Current.
        _context = ExecutionContext.Capture();
        // The clock is read only for a listener: it costs about as much as the rest of a tiny item's hand-off.
        EnqueuedAt = ExecutorTelemetry.TimeInQueue.Enabled ? Stopwatch.GetTimestamp() : 0;
    }

    public long EnqueuedAt { get; }

    public CancellationTokenRegistration Registration { get; set; }

    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;

    public Exception? Run()
    {
        Registration.Dispose();
        if (_cancellationToken.IsCancellationRequested)
        {
            Cancel();
            return new OperationCanceledException(_cancellationToken);
        }

        Exception? error;
        if (_context is null)
        {
            error = Invoke();
        }
        else
        {
            ExecutionContext.Run(_context, static state =>
            {
                var item = (ThreadWorkItem<T>)state!;
                item._failure = item.Invoke();
            }, this);
            error = _failure;
        }

        if (_activity is not null)
        {
            if (error is not null)
                _activity.SetStatus(ActivityStatusCode.Error, error.Message);
            _activity.Dispose();
        }

        return error;
    }

    public void Cancel()
    {
        TrySetCanceled(_cancellationToken);
        _activity?.Dispose();
    }

    public void Fail(Exception error)
    {
        TrySetException(error);
        _activity?.Dispose();
    }

    private Exception? Invoke()
    {
        try
        {
            TrySetResult(Call());
            return null;
        }
        catch (OperationCanceledException e) when (e.CancellationToken == _cancellationToken && _cancellationToken.IsCancellationRequested)
        {
            TrySetCanceled(_cancellationToken);
            return e;
        }
        catch (Exception e)
        {
            TrySetException(e);
            return e;
        }
    }

    private T Call()
    {
        switch (_shape)
        {
            case ThreadWorkShape.Func:
                return ((Func<T>)_work)();
            case ThreadWorkShape.FuncOfToken:
                return ((Func<CancellationToken, T>)_work)(_cancellationToken);
            case ThreadWorkShape.Action:
                ((Action)_work)();
                return default!;
            default:
                ((Action<CancellationToken>)_work)(_cancellationToken);
                return default!;
        }
    }
}
