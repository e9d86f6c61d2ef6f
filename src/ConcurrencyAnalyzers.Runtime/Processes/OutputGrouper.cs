using System;
using System.Text;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// Turns a worker's standard error lines into log entries that keep a multi-line message together: a line that
/// continues the one before (indented, like a stack trace's <c>   at …</c> frames and <c> ---&gt; </c> inner exceptions,
/// or <c>--- End of … ---</c>) joins its entry; any other line starts a new one. An entry is delivered when the next
/// one starts, when the output pauses briefly, or when the output ends.
/// </summary>
internal sealed class OutputGrouper : IDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private readonly Action<string> _deliver;
    private readonly StringBuilder _entry = new();
    private readonly Timer _timer;
    private bool _ended;

    public OutputGrouper(Action<string> deliver)
    {
        _deliver = deliver;
        _timer = new Timer(static state => ((OutputGrouper)state!).Flush(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public static bool Continues(string line) =>
        line.Length > 0 && (char.IsWhiteSpace(line[0]) || line.StartsWith("---", StringComparison.Ordinal));

    public void Add(string line)
    {
        string? complete = null;
        lock (_entry)
        {
            if (_ended)
                return;
            if (_entry.Length > 0 && !Continues(line))
            {
                complete = _entry.ToString();
                _entry.Clear();
            }

            if (_entry.Length > 0)
                _entry.Append(Environment.NewLine);
            _entry.Append(line);
            _timer.Change(Pause, Timeout.InfiniteTimeSpan);
        }

        if (complete is not null)
            _deliver(complete);
    }

    /// <summary>Delivers the entry in progress, if any.</summary>
    public void Flush()
    {
        string complete;
        lock (_entry)
        {
            if (_entry.Length == 0)
                return;
            complete = _entry.ToString();
            _entry.Clear();
        }

        _deliver(complete);
    }

    /// <summary>The output ended: the last entry is delivered, later lines are ignored.</summary>
    public void End()
    {
        Flush();
        lock (_entry)
            _ended = true;
        _timer.Dispose();
    }

    public void Dispose() => End();
}
