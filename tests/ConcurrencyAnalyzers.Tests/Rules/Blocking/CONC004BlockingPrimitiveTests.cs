using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC004BlockingPrimitiveAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC004BlockingPrimitiveCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

public class CONC004BlockingPrimitiveTests
{
    private const string SemaphoreAdvice = "await 'WaitAsync' instead";

    [Fact]
    public Task SemaphoreWait_Triggers_FixAwaitsWaitAsyncWithToken() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            private readonly SemaphoreSlim _gate = new(1);

            async Task M(CancellationToken ct)
            {
                {|#0:_gate.Wait()|};
                try { await Task.Yield(); } finally { _gate.Release(); }
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            private readonly SemaphoreSlim _gate = new(1);

            async Task M(CancellationToken ct)
            {
                await _gate.WaitAsync(ct);
                try { await Task.Yield(); } finally { _gate.Release(); }
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SemaphoreSlim.Wait", SemaphoreAdvice));

    [Fact]
    public Task SemaphoreWaitWithTimeoutWhoseBoolIsUsed_FixKeepsTheBool() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<bool> M(SemaphoreSlim gate)
            {
                if (!{|#0:gate.Wait(500)|})
                    return false;
                gate.Release();
                return true;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<bool> M(SemaphoreSlim gate)
            {
                if (!await gate.WaitAsync(500))
                    return false;
                gate.Release();
                return true;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SemaphoreSlim.Wait", SemaphoreAdvice));

    [Fact]
    public Task WaitHandleWaitOne_Triggers_FixUsesRuntimeWaitOneAsyncAndAddsUsing() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<bool> M(ManualResetEvent ready, CancellationToken ct)
            {
                return {|#0:ready.WaitOne(TimeSpan.FromSeconds(5))|};
            }
        }
        """,
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<bool> M(ManualResetEvent ready, CancellationToken ct)
            {
                return await ready.WaitOneAsync(TimeSpan.FromSeconds(5), ct);
            }
        }
        """,
        prependUsings: false,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("WaitHandle.WaitOne", "await 'WaitOneAsync' from ConcurrencyAnalyzers.Runtime instead")
            .WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task MutexWaitOne_Triggers_NoFixBecauseAMutexIsThreadAffine() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Mutex mutex)
            {
                await Task.Yield();
                {|#0:mutex.WaitOne()|};
                mutex.ReleaseMutex();
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("WaitHandle.WaitOne",
            "a Mutex is owned by the thread that acquired it; use SemaphoreSlim.WaitAsync for async code instead"));

    [Theory]
    [InlineData("new ManualResetEventSlim().Wait()", "ManualResetEventSlim.Wait")]
    [InlineData("Thread.CurrentThread.Join()", "Thread.Join")]
    [InlineData("Monitor.Wait(this)", "Monitor.Wait")]
    [InlineData("new CountdownEvent(1).Wait()", "CountdownEvent.Wait")]
    [InlineData("new Barrier(1).SignalAndWait()", "Barrier.SignalAndWait")]
    [InlineData("new System.Collections.Concurrent.BlockingCollection<int>().Take()", "BlockingCollection.Take")]
    [InlineData("new ReaderWriterLockSlim().EnterReadLock()", "ReaderWriterLockSlim.EnterReadLock")]
    [InlineData("new ReaderWriterLockSlim().EnterWriteLock()", "ReaderWriterLockSlim.EnterWriteLock")]
    [InlineData("WaitHandle.WaitAll(new WaitHandle[] { new ManualResetEvent(false) })", "WaitHandle.WaitAll")]
    [InlineData("WaitHandle.WaitAny(new WaitHandle[] { new ManualResetEvent(false) })", "WaitHandle.WaitAny")]
    public Task OtherPrimitives_Trigger_NoFix(string call, string what)
    {
        var advice = what switch
        {
            "Thread.Join" => "await a Task representing the thread's work instead",
            "WaitHandle.WaitAll" or "WaitHandle.WaitAny" => "await the handle asynchronously (ConcurrencyAnalyzers.Runtime's WaitOneAsync) instead",
            _ => "use an async coordination primitive (SemaphoreSlim.WaitAsync, TaskCompletionSource, Channel) instead",
        };
        return VerifyCS.VerifyNoFixAsync(
            "class C\n{\n    async Task M()\n    {\n        await Task.Yield();\n        {|#0:" + call + "|};\n    }\n}\n",
            VerifyCS.Diagnostic().WithLocation(0).WithArguments(what, advice));
    }

    [Fact]
    public Task GetConsumingEnumerable_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(System.Collections.Concurrent.BlockingCollection<int> queue)
            {
                await Task.Yield();
                foreach (var item in {|#0:queue.GetConsumingEnumerable()|})
                    Console.WriteLine(item);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("BlockingCollection.GetConsumingEnumerable",
            "use an async coordination primitive (SemaphoreSlim.WaitAsync, TaskCompletionSource, Channel) instead"));

    [Fact]
    public Task SemaphoreWaitInsideLock_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            private readonly object _sync = new();

            async Task M(SemaphoreSlim gate)
            {
                await Task.Yield();
                lock (_sync)
                {
                    {|#0:gate.Wait()|};
                }
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SemaphoreSlim.Wait", SemaphoreAdvice));

    // From a field check on an MQTT broker: a reader-writer lock entered and exited with no await in between is a short
    // synchronous section, like a lock statement; held across an await (the broker's real bug) it is reported.
    [Fact]
    public Task ReaderWriterLockSections_ReportedOnlyWhenHeldAcrossAnAwait() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Sessions
        {
            private readonly ReaderWriterLockSlim _lock = new();
            private readonly Dictionary<string, int> _sessions = new();

            async Task<int> CountAsync(string id, Func<Task> intercept)
            {
                await Task.Yield();
                _lock.EnterReadLock();
                try
                {
                    _sessions.TryGetValue(id, out var n);
                }
                finally
                {
                    _lock.ExitReadLock();
                }

                {|#0:_lock.EnterWriteLock()|};
                try
                {
                    await intercept();
                    _sessions.Remove(id);
                }
                finally
                {
                    _lock.ExitWriteLock();
                }

                return _sessions.Count;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("ReaderWriterLockSlim.EnterWriteLock",
            "use an async coordination primitive (SemaphoreSlim.WaitAsync, TaskCompletionSource, Channel) instead"));

    // A zero timeout is zero however it is written: a const, a static readonly field, a local assigned zero once.
    [Fact]
    public Task ZeroTimeoutsThatAreNotLiterals_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            private const int NoWait = 0;
            private static readonly int Poll = 0;
            private static readonly TimeSpan Immediately = TimeSpan.Zero;

            async Task M(SemaphoreSlim gate, ManualResetEventSlim ready)
            {
                await Task.Yield();
                var timeout = 0;
                var span = TimeSpan.Zero;
                if (gate.Wait(NoWait)) gate.Release();
                if (gate.Wait(Poll)) gate.Release();
                if (gate.Wait(Immediately)) gate.Release();
                if (gate.Wait(timeout)) gate.Release();
                if (ready.Wait(span)) ready.Reset();
                Thread.Sleep(timeout);
            }
        }
        """);

    // A readonly instance field initialised to zero in another part of a partial class: only a constructor could
    // change it, and none names it. One that a constructor assigns may be anything.
    [Fact]
    public Task ReadOnlyInstanceFieldInitialisedToZero_DoesNotTrigger_UnlessAConstructorAssignsIt() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        partial class Poller
        {
            async Task M(SemaphoreSlim gate)
            {
                await Task.Yield();
                if (gate.Wait(Timeout)) gate.Release();
                if ({|#0:gate.Wait(Patience)|}) gate.Release();
            }
        }

        partial class Poller
        {
            private readonly int Timeout = 0;
            private readonly int Patience = 0;

            public Poller() { }

            public Poller(int patience) => Patience = patience;
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SemaphoreSlim.Wait", "await 'WaitAsync' instead"));

    [Fact]
    public Task TimeoutsThatMayNotBeZero_Trigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            private static int _poll = 0;
            private static readonly int Patience = 50;

            async Task M(SemaphoreSlim gate, int configured)
            {
                await Task.Yield();
                var timeout = 0;
                if (configured > 0)
                    timeout = configured;
                if ({|#0:gate.Wait(timeout)|}) gate.Release();
                if ({|#1:gate.Wait(_poll)|}) gate.Release();
                if ({|#2:gate.Wait(Patience)|}) gate.Release();
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SemaphoreSlim.Wait", "await 'WaitAsync' instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("SemaphoreSlim.Wait", "await 'WaitAsync' instead"),
        VerifyCS.Diagnostic().WithLocation(2).WithArguments("SemaphoreSlim.Wait", "await 'WaitAsync' instead"));

    [Fact]
    public Task ZeroTimeoutPolls_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(SemaphoreSlim gate, ManualResetEvent handle, ReaderWriterLockSlim rw)
            {
                await Task.Yield();
                if (gate.Wait(0)) gate.Release();
                if (gate.Wait(TimeSpan.Zero)) gate.Release();
                _ = handle.WaitOne(0);
                _ = rw.TryEnterReadLock(0);
            }
        }
        """);

    [Fact]
    public Task LockStatementAndSyncCode_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            private readonly object _sync = new();

            async Task M()
            {
                lock (_sync) { Console.WriteLine(); }
                await Task.Yield();
            }

            void Sync(SemaphoreSlim gate, ManualResetEvent handle)
            {
                gate.Wait();
                handle.WaitOne();
            }

            async Task Deferred(SemaphoreSlim gate)
            {
                await Task.Run(() => gate.Wait());
            }
        }
        """);

    [Fact]
    public Task FixAll_FixesEverySemaphoreWait() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task M(SemaphoreSlim a, SemaphoreSlim b)
            {
                {|#0:a.Wait()|};
                {|#1:b.Wait()|};
                return Task.CompletedTask;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(SemaphoreSlim a, SemaphoreSlim b)
            {
                await a.WaitAsync();
                await b.WaitAsync();
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SemaphoreSlim.Wait", SemaphoreAdvice),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("SemaphoreSlim.Wait", SemaphoreAdvice));

    // A hand-written async lock: under a lock every acquirer takes, a Wait in the true branch of a test of the same
    // semaphore's CurrentCount cannot block. Without the lock, or testing another semaphore, it can.
    [Fact]
    public Task SemaphoreWaitAfterACountCheckUnderALock_DoesNotTrigger_ButOtherwiseDoes() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class AsyncLock
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly SemaphoreSlim _other = new(1, 1);
            private readonly Queue<TaskCompletionSource<bool>> _pending = new();

            public Task<bool> LockAsync(CancellationToken ct)
            {
                lock (_gate)
                {
                    if (_semaphore.CurrentCount == 1)
                    {
                        _semaphore.Wait(ct);
                        return Task.FromResult(true);
                    }

                    if (_other.CurrentCount > 0)
                        {|#0:_semaphore.Wait(ct)|};
                    var waiter = new TaskCompletionSource<bool>();
                    _pending.Enqueue(waiter);
                    return waiter.Task;
                }
            }

            public Task<bool> UnguardedAsync(CancellationToken ct)
            {
                if (_semaphore.CurrentCount == 1)
                    {|#1:_semaphore.Wait(ct)|};
                return Task.FromResult(true);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SemaphoreSlim.Wait", SemaphoreAdvice),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("SemaphoreSlim.Wait", SemaphoreAdvice));
}
