using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// The executors of one application, as <c>AddConcurrencyExecutors</c> registers them: inject this, or the executors
/// themselves (<see cref="ThreadExecutor"/> by key <see cref="ComputeKey"/> or <see cref="BlockingKey"/>,
/// <see cref="AsyncExecutor"/>, <c>ProcessExecutor</c>). The container disposes them with itself.
/// </summary>
public sealed class ConcurrencyExecutors : IAsyncDisposable
{
    /// <summary>The service key of the compute <see cref="ThreadExecutor"/>.</summary>
    public const string ComputeKey = "compute";

    /// <summary>The service key of the blocking <see cref="ThreadExecutor"/>.</summary>
    public const string BlockingKey = "blocking";

    /// <summary>Creates the executors from their options.</summary>
    /// <param name="options">The options of each executor.</param>
    /// <param name="loggerFactory">Creates the loggers of the executors that log; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public ConcurrencyExecutors(ConcurrencyExecutorsOptions options, ILoggerFactory? loggerFactory)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        Compute = new ThreadExecutor(options.Compute);
        Blocking = new ThreadExecutor(options.Blocking);
        Io = new AsyncExecutor(options.Io);
#if NET8_0_OR_GREATER
        Process = new ProcessExecutor(options.Process, loggerFactory?.CreateLogger(typeof(ProcessExecutor).FullName!));
#else
        _ = loggerFactory;
#endif
    }

    /// <summary>Dedicated threads for CPU-bound work.</summary>
    public ThreadExecutor Compute { get; }

    /// <summary>Dedicated threads for blocking calls with no async alternative.</summary>
    public ThreadExecutor Blocking { get; }

    /// <summary>Bounded-concurrency async I/O.</summary>
    public AsyncExecutor Io { get; }

#if NET8_0_OR_GREATER
    /// <summary>A warm pool of worker processes.</summary>
    public ProcessExecutor Process { get; }
#endif

    /// <summary>Disposes every executor (each drains its queued work first).</summary>
    /// <returns>A task that completes when every executor has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
#if NET8_0_OR_GREATER
        await Process.DisposeAsync().ConfigureAwait(false);
#endif
        await Io.DisposeAsync().ConfigureAwait(false);
        await Blocking.DisposeAsync().ConfigureAwait(false);
        await Compute.DisposeAsync().ConfigureAwait(false);
    }
}
