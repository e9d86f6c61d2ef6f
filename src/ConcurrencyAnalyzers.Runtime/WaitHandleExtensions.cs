using System;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// Awaits a <see cref="WaitHandle"/> without blocking a thread: the wait is registered with the thread pool's wait
/// thread and the returned task completes when the handle is signaled, the timeout elapses, or the token is canceled.
/// The code fix of CONC004 rewrites <c>handle.WaitOne(…)</c> to these methods. A <see cref="Mutex"/> is rejected: it is
/// owned by the thread that acquires it, and an asynchronous wait acquires it on another thread.
/// </summary>
public static class WaitHandleExtensions
{
    /// <summary>Waits asynchronously, without a timeout, until <paramref name="handle"/> is signaled.</summary>
    /// <param name="handle">The handle to wait for.</param>
    /// <returns>A task that completes with <see langword="true"/> when the handle is signaled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is <see langword="null"/>.</exception>
    public static Task<bool> WaitOneAsync(this WaitHandle handle) =>
        WaitOneAsync(handle, Timeout.Infinite, CancellationToken.None);

    /// <summary>Waits asynchronously until <paramref name="handle"/> is signaled or <paramref name="timeout"/> elapses.</summary>
    /// <param name="handle">The handle to wait for.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <returns>A task that completes with <see langword="true"/> when the handle is signaled, <see langword="false"/> on timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large.</exception>
    public static Task<bool> WaitOneAsync(this WaitHandle handle, TimeSpan timeout) =>
        WaitOneAsync(handle, timeout, CancellationToken.None);

    /// <summary>Waits asynchronously until <paramref name="handle"/> is signaled or <paramref name="millisecondsTimeout"/> elapses.</summary>
    /// <param name="handle">The handle to wait for.</param>
    /// <param name="millisecondsTimeout">How long to wait in milliseconds; <see cref="Timeout.Infinite"/> (-1) waits forever.</param>
    /// <returns>A task that completes with <see langword="true"/> when the handle is signaled, <see langword="false"/> on timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is less than -1.</exception>
    public static Task<bool> WaitOneAsync(this WaitHandle handle, int millisecondsTimeout) =>
        WaitOneAsync(handle, millisecondsTimeout, CancellationToken.None);

    /// <summary>Waits asynchronously, without a timeout, until <paramref name="handle"/> is signaled.</summary>
    /// <param name="handle">The handle to wait for.</param>
    /// <param name="cancellationToken">Cancels the wait; the task then ends canceled.</param>
    /// <returns>A task that completes with <see langword="true"/> when the handle is signaled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is <see langword="null"/>.</exception>
    public static Task<bool> WaitOneAsync(this WaitHandle handle, CancellationToken cancellationToken) =>
        WaitOneAsync(handle, Timeout.Infinite, cancellationToken);

    /// <summary>Waits asynchronously until <paramref name="handle"/> is signaled or <paramref name="timeout"/> elapses.</summary>
    /// <param name="handle">The handle to wait for.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait; the task then ends canceled.</param>
    /// <returns>A task that completes with <see langword="true"/> when the handle is signaled, <see langword="false"/> on timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large.</exception>
    public static Task<bool> WaitOneAsync(this WaitHandle handle, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var milliseconds = (long)timeout.TotalMilliseconds;
        if (milliseconds < -1 || milliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be Timeout.InfiniteTimeSpan or between 0 and Int32.MaxValue milliseconds.");
        return WaitOneAsync(handle, (int)milliseconds, cancellationToken);
    }

    /// <summary>Waits asynchronously until <paramref name="handle"/> is signaled or <paramref name="millisecondsTimeout"/> elapses.</summary>
    /// <param name="handle">The handle to wait for.</param>
    /// <param name="millisecondsTimeout">How long to wait in milliseconds; <see cref="Timeout.Infinite"/> (-1) waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait; the task then ends canceled.</param>
    /// <returns>A task that completes with <see langword="true"/> when the handle is signaled, <see langword="false"/> on timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is less than -1.</exception>
    public static Task<bool> WaitOneAsync(this WaitHandle handle, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        if (handle is null)
            throw new ArgumentNullException(nameof(handle));
        if (handle is Mutex)
            throw new ArgumentException("A Mutex is owned by the thread that acquires it, so it cannot be awaited on another thread; use SemaphoreSlim.WaitAsync to guard async code.", nameof(handle));
        if (millisecondsTimeout < Timeout.Infinite)
            throw new ArgumentOutOfRangeException(nameof(millisecondsTimeout), millisecondsTimeout, "The timeout must be -1 (infinite) or a non-negative number of milliseconds.");
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<bool>(cancellationToken);

        // Synchronous fast path: an already signaled handle (or a zero timeout) needs no registration.
        if (handle.WaitOne(0))
            return Task.FromResult(true);
        if (millisecondsTimeout == 0)
            return Task.FromResult(false);
        return WaitCoreAsync(handle, millisecondsTimeout, cancellationToken);
    }

    private static async Task<bool> WaitCoreAsync(WaitHandle handle, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = ThreadPool.RegisterWaitForSingleObject(
            handle,
            static (state, timedOut) => ((TaskCompletionSource<bool>)state!).TrySetResult(!timedOut),
            completion,
            millisecondsTimeout,
            executeOnlyOnce: true);
        try
        {
            using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetCanceled(), completion))
                return await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            registration.Unregister(null);
        }
    }
}
