using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.Runtime.Tests;

/// <summary>The WaitHandle bridge CONC004's fix targets: real handles, coordinated by signals, never by sleeps.</summary>
public class WaitHandleExtensionsTests
{
    [Fact]
    public async Task AlreadySignaledHandle_CompletesTrueSynchronously()
    {
        using var handle = new ManualResetEvent(initialState: true);
        var wait = handle.WaitOneAsync();
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(await wait);
    }

    [Fact]
    public async Task HandleSignaledLater_CompletesTrueWithoutBlockingTheCaller()
    {
        using var handle = new ManualResetEvent(initialState: false);
        var wait = handle.WaitOneAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted); // nothing has signaled yet, and the call returned

        var signaler = new Thread(() => handle.Set()) { IsBackground = true };
        signaler.Start();
        Assert.True(await wait);
    }

    [Fact]
    public async Task AutoResetEvent_IsConsumedByTheWait()
    {
        using var handle = new AutoResetEvent(initialState: false);
        var wait = handle.WaitOneAsync(Timeout.InfiniteTimeSpan);
        handle.Set();
        Assert.True(await wait);
        Assert.False(handle.WaitOne(0)); // the async wait took the signal
    }

    [Fact]
    public async Task Timeout_CompletesFalse()
    {
        using var handle = new ManualResetEvent(initialState: false); // never signaled
        Assert.False(await handle.WaitOneAsync(millisecondsTimeout: 20));
        Assert.False(await handle.WaitOneAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    [Fact]
    public async Task ZeroTimeout_PollsWithoutRegistering()
    {
        using var unsignaled = new ManualResetEvent(initialState: false);
        var wait = unsignaled.WaitOneAsync(0);
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.False(await wait);
    }

    [Fact]
    public async Task Cancellation_EndsTheWaitCanceled()
    {
        using var handle = new ManualResetEvent(initialState: false);
        using var cts = new CancellationTokenSource();
        var wait = handle.WaitOneAsync(cts.Token);
        Assert.False(wait.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.True(wait.IsCanceled);
    }

    [Fact]
    public async Task AlreadyCanceledToken_ReturnsACanceledTask()
    {
        using var handle = new ManualResetEvent(initialState: true);
        var wait = handle.WaitOneAsync(new CancellationToken(canceled: true));
        Assert.True(wait.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void BadArguments_GetClearErrors()
    {
        Assert.Throws<ArgumentNullException>("handle", () => { _ = WaitHandleExtensions.WaitOneAsync(null!); });
        using var handle = new ManualResetEvent(false);
        var negative = Assert.Throws<ArgumentOutOfRangeException>("millisecondsTimeout", () => { _ = handle.WaitOneAsync(-2); });
        Assert.Contains("-1 (infinite)", negative.Message);
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => { _ = handle.WaitOneAsync(TimeSpan.FromMilliseconds(-5)); });
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => { _ = handle.WaitOneAsync(TimeSpan.FromDays(100)); });
    }

    [Fact]
    public void Mutex_IsRejectedBecauseItIsThreadAffine()
    {
        using var mutex = new Mutex();
        var error = Assert.Throws<ArgumentException>("handle", () => { _ = mutex.WaitOneAsync(); });
        Assert.Contains("SemaphoreSlim.WaitAsync", error.Message);
    }

    [Fact]
    public async Task ManyConcurrentWaiters_AllComplete()
    {
        using var handle = new ManualResetEvent(initialState: false);
        var waits = new Task<bool>[200];
        for (var i = 0; i < waits.Length; i++)
            waits[i] = handle.WaitOneAsync();
        handle.Set();
        var results = await Task.WhenAll(waits);
        Assert.All(results, Assert.True);
    }
}
