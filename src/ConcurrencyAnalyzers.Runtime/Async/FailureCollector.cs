using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>The failures of one run, by <see cref="ErrorMode"/>: the first cancels the run, or all are collected.</summary>
internal sealed class FailureCollector(ErrorMode mode, CancellationTokenSource run)
{
    private readonly List<Exception> _failures = new();

    public bool HasFailures
    {
        get
        {
            lock (_failures)
                return _failures.Count > 0;
        }
    }

    public void Add(Exception failure)
    {
        lock (_failures)
            _failures.Add(failure);
        if (mode == ErrorMode.FirstError)
        {
            try
            {
                run.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run already ended.
            }
        }
    }

    /// <summary>Throws what the run should throw: the first failure as it was, or all of them aggregated.</summary>
    public void ThrowIfAny()
    {
        Exception[] failures;
        lock (_failures)
            failures = _failures.ToArray();
        if (failures.Length == 0)
            return;
        if (mode == ErrorMode.FirstError)
            ExceptionDispatchInfo.Capture(failures[0]).Throw();
        throw new AggregateException(failures.Length + " work item(s) failed.", failures);
    }
}
