using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace ConcurrencyAnalyzers.Runtime.Tests.Processes;

/// <summary>Captures log messages, and lets a test wait (on a signal) for one that contains a given text.</summary>
internal sealed class LineLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiters = new();

    private readonly ConcurrentQueue<(LogLevel Level, EventId Event, string Message)> _entries = new();

    public string[] Lines => _lines.ToArray();

    public (LogLevel Level, EventId Event, string Message)[] Entries => _entries.ToArray();

    public Task<string> WaitForAsync(string text)
    {
        var waiter = _waiters.GetOrAdd(text, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var line in _lines)
        {
            if (line.Contains(text, StringComparison.Ordinal))
                waiter.TrySetResult(line);
        }

        return waiter.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        _entries.Enqueue((logLevel, eventId, line));
        _lines.Enqueue(line);
        foreach (var (text, waiter) in _waiters)
        {
            if (line.Contains(text, StringComparison.Ordinal))
                waiter.TrySetResult(line);
        }
    }
}
