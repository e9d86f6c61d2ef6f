using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>One queued call: what to run, where its result goes, and the context it runs in.</summary>
internal abstract class ThreadWorkItem
{
    private readonly ExecutionContext? _context;

    protected ThreadWorkItem(CancellationToken cancellationToken, Activity? activity)
    {
        CancellationToken = cancellationToken;
        Activity = activity;
        // Captured after the Activity started, so the work sees it as Activity.Current.
        _context = ExecutionContext.Capture();
        EnqueuedAt = Stopwatch.GetTimestamp();
    }

    public CancellationToken CancellationToken { get; }

    public Activity? Activity { get; }

    public long EnqueuedAt { get; }

    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Withdrawn = 2;
    private int _state;

    /// <summary>A worker takes the item to run it; false when it was withdrawn (canceled) while queued.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    /// <summary>Withdraws the item while it still waits in the queue; false when a worker already took it.</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Runs the work on the calling (worker) thread, in the submitter's execution context. Returns the failure, if any.</summary>
    public Exception? Run()
    {
        Registration.Dispose();
        if (CancellationToken.IsCancellationRequested)
        {
            Cancel();
            return new OperationCanceledException(CancellationToken);
        }

        Exception? error = null;
        if (_context is null)
        {
            error = Invoke();
        }
        else
        {
            ExecutionContext.Run(_context, static state =>
            {
                var item = (ThreadWorkItem)state!;
                item.Failure = item.Invoke();
            }, this);
            error = Failure;
        }

        if (Activity is not null)
        {
            if (error is not null)
                Activity.SetStatus(ActivityStatusCode.Error, error.Message);
            Activity.Dispose();
        }

        return error;
    }

    /// <summary>Ends the item canceled (it never ran).</summary>
    public abstract void Cancel();

    /// <summary>Ends the item with an error (it never ran).</summary>
    public abstract void Fail(Exception error);

    protected abstract Exception? Invoke();

    private Exception? Failure { get; set; }
}

/// <summary>A queued call that produces a <typeparamref name="T"/>.</summary>
internal sealed class ThreadWorkItem<T> : ThreadWorkItem
{
    private readonly Func<CancellationToken, T> _work;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ThreadWorkItem(Func<CancellationToken, T> work, CancellationToken cancellationToken, Activity? activity)
        : base(cancellationToken, activity) => _work = work;

    public Task<T> Task => _completion.Task;

    public override void Cancel()
    {
        _completion.TrySetCanceled(CancellationToken);
        Activity?.Dispose();
    }

    public override void Fail(Exception error)
    {
        _completion.TrySetException(error);
        Activity?.Dispose();
    }

    protected override Exception? Invoke()
    {
        try
        {
            _completion.TrySetResult(_work(CancellationToken));
            return null;
        }
        catch (OperationCanceledException e) when (e.CancellationToken == CancellationToken && CancellationToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(CancellationToken);
            return e;
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
            return e;
        }
    }
}
