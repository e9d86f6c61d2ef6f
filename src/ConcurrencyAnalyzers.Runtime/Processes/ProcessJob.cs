using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>A queued or running work item of a <see cref="ProcessExecutor"/>: its request frame and its completion.</summary>
internal abstract class ProcessJob
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Done = 2;

    private int _state;

    protected ProcessJob(WorkRequest request, byte[] frame, CancellationToken cancellationToken, Activity? activity)
    {
        Request = request;
        Frame = frame;
        CancellationToken = cancellationToken;
        Activity = activity;
        EnqueuedAt = Stopwatch.GetTimestamp();
    }

    public WorkRequest Request { get; }

    public byte[] Frame { get; }

    public CancellationToken CancellationToken { get; }

    public Activity? Activity { get; }

    public long EnqueuedAt { get; }

    public CancellationTokenRegistration QueuedRegistration { get; set; }

    /// <summary>Reacts to cancellation once the item is handed to a worker.</summary>
    public CancellationTokenRegistration RunningRegistration { get; set; }

    /// <summary>When the item was handed to its worker (or, behind others, when it became the one running).</summary>
    public long SentAt { get; set; }

    public bool IsDone => Volatile.Read(ref _state) == Done;

    /// <summary>A worker takes the item; false if it was canceled while queued.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;

    /// <summary>Ends a still-queued item as canceled; false if a worker already took it.</summary>
    public bool TryCancelQueued(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Done, Queued) != Queued)
            return false;
        Complete(error);
        return true;
    }

    /// <summary>Completes with the JSON result; a result that does not deserialize fails the item instead.</summary>
    public void Succeed(ReadOnlySpan<byte> json)
    {
        Volatile.Write(ref _state, Done);
        try
        {
            SetResult(json);
            Activity?.Stop();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            Complete(e);
        }
    }

    public void Fail(Exception error)
    {
        Volatile.Write(ref _state, Done);
        Complete(error);
    }

    protected abstract void SetResult(ReadOnlySpan<byte> json);

    protected abstract void SetError(Exception error);

    private void Complete(Exception error)
    {
        QueuedRegistration.Dispose();
        if (Activity is not null)
        {
            Activity.SetStatus(ActivityStatusCode.Error, error.Message);
            Activity.Stop();
        }

        SetError(error);
    }
}

/// <summary>A work item with a result of type <typeparamref name="T"/>.</summary>
internal sealed class ProcessJob<T> : ProcessJob
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly bool _hasResult;
    private readonly JsonTypeInfo<T>? _resultInfo;

    // hasResult: false for work without a result (a plain Task), whose answer's JSON is not read.
    public ProcessJob(WorkRequest request, byte[] frame, CancellationToken cancellationToken, Activity? activity, bool hasResult, JsonTypeInfo<T>? resultInfo)
        : base(request, frame, cancellationToken, activity)
    {
        _hasResult = hasResult;
        _resultInfo = resultInfo;
    }

    public Task<T> Task => _completion.Task;

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Trimming.ReflectionJsonOnlyWhenEnabled)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = Trimming.ReflectionJsonOnlyWhenEnabled)]
    protected override void SetResult(ReadOnlySpan<byte> json)
    {
        QueuedRegistration.Dispose();
        if (!_hasResult)
            _completion.TrySetResult(default!);
        else
            _completion.TrySetResult((_resultInfo is null ? JsonSerializer.Deserialize<T>(json, WorkJson.Options) : JsonSerializer.Deserialize(json, _resultInfo))!);
    }

    protected override void SetError(Exception error)
    {
        // Canceled through a token: a canceled task. Other cancellations (shutdown) keep their message.
        if (error is OperationCanceledException { CancellationToken.IsCancellationRequested: true } canceled)
            _completion.TrySetCanceled(canceled.CancellationToken);
        else
            _completion.TrySetException(error);
    }
}

/// <summary>The result type of work that has none (async work returning a plain <see cref="System.Threading.Tasks.Task"/>).</summary>
internal readonly struct NoResult
{
}
