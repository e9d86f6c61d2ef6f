using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// The items handed to one worker and not yet answered, oldest (the one running) first. The oldest has the job
/// timeout; canceling it kills the worker, canceling a later one just ends it (its answer is ignored).
/// </summary>
internal sealed class WorkerSession : IDisposable
{
    private readonly Queue<ProcessJob> _inFlight = new();
    private readonly TimeSpan _timeout;
    private CancellationTokenSource? _headTimer;

    public WorkerSession(WorkerProcess worker, TimeSpan timeout)
    {
        Worker = worker;
        _timeout = timeout;
    }

    public WorkerProcess Worker { get; }

    public int Count
    {
        get
        {
            lock (_inFlight)
                return _inFlight.Count;
        }
    }

    public ProcessJob Head
    {
        get
        {
            lock (_inFlight)
                return _inFlight.Peek();
        }
    }

    public void Add(ProcessJob job)
    {
        job.SentAt = Stopwatch.GetTimestamp();
        Worker.Sent++;
        lock (_inFlight)
        {
            _inFlight.Enqueue(job);
            if (_inFlight.Count == 1)
                ArmHeadTimer();
        }

        job.RunningRegistration = job.CancellationToken.UnsafeRegister(static state =>
        {
            var (session, canceled) = ((WorkerSession, ProcessJob))state!;
            session.Cancel(canceled);
        }, (this, job));
    }

    public ProcessJob PopHead()
    {
        ProcessJob job;
        lock (_inFlight)
        {
            job = _inFlight.Dequeue();
            _headTimer?.Dispose();
            _headTimer = null;
            if (_inFlight.Count > 0)
            {
                _inFlight.Peek().SentAt = Stopwatch.GetTimestamp(); // it starts running now
                ArmHeadTimer();
            }
        }

        job.RunningRegistration.Dispose();
        return job;
    }

    public ProcessJob[] Drain()
    {
        ProcessJob[] rest;
        lock (_inFlight)
        {
            rest = _inFlight.ToArray();
            _inFlight.Clear();
        }

        foreach (var job in rest)
            job.RunningRegistration.Dispose();
        return rest;
    }

    public void Dispose()
    {
        lock (_inFlight)
        {
            _headTimer?.Dispose();
            _headTimer = null;
        }
    }

    private void Cancel(ProcessJob job)
    {
        lock (_inFlight)
        {
            if (_inFlight.Count > 0 && _inFlight.Peek() == job)
            {
                // Under the lock on purpose: "this job is the head" and the kill must be one step, or an answer racing
                // the cancel could make the next job the head and the kill would fail it instead.
                Worker.Kill(KillReason.Canceled); // a running process cannot be interrupted any other way
                return;
            }

            if (!_inFlight.Contains(job))
                return; // already answered
        }

        job.Fail(new OperationCanceledException(job.CancellationToken)); // its answer, when it comes, is ignored
    }

    private void ArmHeadTimer()
    {
        if (_timeout == Timeout.InfiniteTimeSpan)
            return;
        _headTimer = new CancellationTokenSource(_timeout);
        _headTimer.Token.UnsafeRegister(static state => ((WorkerProcess)state!).Kill(KillReason.Timeout), Worker);
    }
}
