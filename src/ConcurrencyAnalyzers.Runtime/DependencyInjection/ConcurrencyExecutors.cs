using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// The executors of one application, as <c>AddConcurrencyExecutors</c> registers them: inject this, or the executors
/// themselves (<see cref="ThreadExecutor"/> by key <see cref="ComputeKey"/> or <see cref="BlockingKey"/>,
/// <see cref="AsyncExecutor"/>, <c>ProcessExecutor</c>). The container disposes them with itself.
/// </summary>
public sealed class ConcurrencyExecutors : IAsyncDisposable, IDisposable
{
    /// <summary>The service key of the compute <see cref="ThreadExecutor"/>.</summary>
    public const string ComputeKey = "compute";

    /// <summary>The service key of the blocking <see cref="ThreadExecutor"/>.</summary>
    public const string BlockingKey = "blocking";

    private readonly Lazy<ThreadExecutor> _compute;
    private readonly Lazy<ThreadExecutor> _blocking;
    private readonly Lazy<AsyncExecutor> _io;
#if NET8_0_OR_GREATER
    private readonly Lazy<ProcessExecutor> _process;
#endif

    /// <summary>
    /// Prepares the executors from their options; each is created (and its options checked) when first used, so a bad
    /// option of one executor does not keep the others from working. <c>AddConcurrencyExecutors</c> also checks every
    /// option when the host starts.
    /// </summary>
    /// <param name="options">The options of each executor (copied: later changes do not reach the executors).</param>
    /// <param name="loggerFactory">Creates the loggers of the executors that log; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public ConcurrencyExecutors(ConcurrencyExecutorsOptions options, ILoggerFactory? loggerFactory)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        var compute = options.Compute;
        var blocking = options.Blocking;
        var io = options.Io;
        _compute = new Lazy<ThreadExecutor>(() => Create(nameof(Compute), () => new ThreadExecutor(compute)));
        _blocking = new Lazy<ThreadExecutor>(() => Create(nameof(Blocking), () => new ThreadExecutor(blocking)));
        _io = new Lazy<AsyncExecutor>(() => Create(nameof(Io), () => new AsyncExecutor(io)));
#if NET8_0_OR_GREATER
        var process = options.Process;
        _process = new Lazy<ProcessExecutor>(() => Create(nameof(Process), () => new ProcessExecutor(process, loggerFactory?.CreateLogger(typeof(ProcessExecutor).FullName!))));
#else
        _ = loggerFactory;
#endif
    }

    /// <summary>Dedicated threads for CPU-bound work.</summary>
    /// <exception cref="ArgumentException">An option of this executor is out of range (the message names the executor and the option).</exception>
    public ThreadExecutor Compute => _compute.Value;

    /// <summary>Dedicated threads for blocking calls with no async alternative.</summary>
    /// <exception cref="ArgumentException">An option of this executor is out of range (the message names the executor and the option).</exception>
    public ThreadExecutor Blocking => _blocking.Value;

    /// <summary>Bounded-concurrency async I/O.</summary>
    /// <exception cref="ArgumentException">An option of this executor is out of range (the message names the executor and the option).</exception>
    public AsyncExecutor Io => _io.Value;

#if NET8_0_OR_GREATER
    /// <summary>A warm pool of worker processes.</summary>
    /// <exception cref="ArgumentException">An option of this executor is out of range (the message names the executor and the option).</exception>
    public ProcessExecutor Process => _process.Value;
#endif

    /// <summary>Disposes every executor created so far (each drains its queued work first).</summary>
    /// <returns>A task that completes when every executor has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
#if NET8_0_OR_GREATER
        if (_process.IsValueCreated)
            await _process.Value.DisposeAsync().ConfigureAwait(false);
#endif
        if (_io.IsValueCreated)
            await _io.Value.DisposeAsync().ConfigureAwait(false);
        if (_blocking.IsValueCreated)
            await _blocking.Value.DisposeAsync().ConfigureAwait(false);
        if (_compute.IsValueCreated)
            await _compute.Value.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every executor created so far without waiting (their queued work finishes in the background).</summary>
    public void Dispose()
    {
#if NET8_0_OR_GREATER
        if (_process.IsValueCreated)
            _process.Value.Dispose();
#endif
        if (_io.IsValueCreated)
            _io.Value.Dispose();
        if (_blocking.IsValueCreated)
            _blocking.Value.Dispose();
        if (_compute.IsValueCreated)
            _compute.Value.Dispose();
    }

    /// <summary>Creates one executor; an option it rejects is reported with the executor's name.</summary>
    private static T Create<T>(string executor, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw Named(executor, e);
        }
    }

    /// <summary>The same error, its message prefixed with the executor (<c>Io: WorkerCount must be at least 1.</c>).</summary>
    internal static ArgumentException Named(string executor, ArgumentException e) =>
        e is ArgumentOutOfRangeException range
            ? new ArgumentOutOfRangeException(range.ParamName, range.ActualValue, $"ConcurrencyExecutors:{executor}: {FirstLine(range.Message)}")
            : new ArgumentException($"ConcurrencyExecutors:{executor}: {FirstLine(e.Message)}", e.ParamName, e);

    // ArgumentException appends " (Parameter 'x')" and ArgumentOutOfRangeException the actual value on new lines.
    private static string FirstLine(string message)
    {
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var text = cut < 0 ? message : message.Substring(0, cut);
        var newline = text.IndexOf('\n');
        return (newline < 0 ? text : text.Substring(0, newline)).TrimEnd('\r');
    }

    /// <summary>Every option of every executor checked, each failure named by its executor (for start-up validation).</summary>
    internal static System.Collections.Generic.List<string> Check(ConcurrencyExecutorsOptions options)
    {
        var failures = new System.Collections.Generic.List<string>();
        void Try(string executor, Action validate)
        {
            try
            {
                validate();
            }
            catch (ArgumentException e)
            {
                failures.Add($"ConcurrencyExecutors:{executor}: {FirstLine(e.Message)}");
            }
        }

        Try(nameof(Compute), () => (options.Compute ?? throw new ArgumentException("the options are missing.")).Validate());
        Try(nameof(Blocking), () => (options.Blocking ?? throw new ArgumentException("the options are missing.")).Validate());
        Try(nameof(Io), () => (options.Io ?? throw new ArgumentException("the options are missing.")).Validate());
#if NET8_0_OR_GREATER
        Try(nameof(Process), () => (options.Process ?? throw new ArgumentException("the options are missing.")).Validate());
#endif
        return failures;
    }
}
