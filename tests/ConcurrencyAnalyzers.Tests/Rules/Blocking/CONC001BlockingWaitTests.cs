using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC001BlockingWaitAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC001BlockingWaitCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

public class CONC001BlockingWaitTests
{
    // ---- What fires ----

    [Fact]
    public Task WaitInAsyncMethod_Triggers_FixAwaits() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                await Task.Yield();
                {|#0:t.Wait()|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                await Task.Yield();
                await t;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait()", "the task completes; await the task instead"));

    [Fact]
    public Task ResultInAsyncMethod_Triggers_FixAwaitsWithParentheses() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<string> t)
            {
                await Task.Yield();
                return {|#0:t.Result|}.Length;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<string> t)
            {
                await Task.Yield();
                return (await t).Length;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task ValueTaskResult_Triggers() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(ValueTask<int> t)
            {
                var x = {|#0:t.Result|};
                return x;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(ValueTask<int> t)
            {
                var x = await t;
                return x;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("ValueTask<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task GetAwaiterGetResult_Triggers_FixAwaits() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> t) => {|#0:t.GetAwaiter().GetResult()|} + 1;
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> t) => await t + 1;
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("GetAwaiter().GetResult()", "the task completes; await the task instead"));

    [Fact]
    public Task ConfiguredAwaiterGetResult_Triggers_FixKeepsConfigureAwait() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                {|#0:t.ConfigureAwait(false).GetAwaiter().GetResult()|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                await t.ConfigureAwait(false);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("GetAwaiter().GetResult()", "the task completes; await the task instead"));

    [Fact]
    public Task ValueTaskAwaiterGetResult_Triggers() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(ValueTask t)
            {
                {|#0:t.GetAwaiter().GetResult()|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(ValueTask t)
            {
                await t;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("GetAwaiter().GetResult()", "the task completes; await the task instead"));

    [Fact]
    public Task WaitAll_Triggers_FixUsesWhenAll() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task a, Task b)
            {
                {|#0:Task.WaitAll(a, b)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task a, Task b)
            {
                await Task.WhenAll(a, b);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.WaitAll", "all the tasks complete; use 'await Task.WhenAll' instead"));

    [Fact]
    public Task WaitAnyWithUnusedIndex_Triggers_FixUsesWhenAny() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task a, Task b)
            {
                {|#0:Task.WaitAny(a, b)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task a, Task b)
            {
                await Task.WhenAny(a, b);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.WaitAny", "one of the tasks completes; use 'await Task.WhenAny' instead"));

    [Fact]
    public Task WaitAnyWithUsedIndex_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task a, Task b)
            {
                return {|#0:Task.WaitAny(a, b)|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.WaitAny", "one of the tasks completes; use 'await Task.WhenAny' instead"));

    [Fact]
    public Task WaitWithTimeoutUnused_Triggers_FixUsesWaitAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                {|#0:t.Wait(TimeSpan.FromSeconds(1))|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                await t.WaitAsync(TimeSpan.FromSeconds(1));
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait(…)", "the task completes; await the task instead"));

    [Fact]
    public Task WaitWithTimeoutWhoseBoolIsRead_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<bool> M(Task t)
            {
                return {|#0:t.Wait(TimeSpan.FromSeconds(1))|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait(…)", "the task completes; await the task instead"));

    [Fact]
    public Task WaitWithToken_Triggers_FixUsesWaitAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t, CancellationToken ct)
            {
                {|#0:t.Wait(ct)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t, CancellationToken ct)
            {
                await t.WaitAsync(ct);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait(…)", "the task completes; await the task instead"));

    [Fact]
    public Task ResultInAsyncLambda_Triggers() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            void M(Task<int> t)
            {
                Func<Task<int>> f = async () => {|#0:t.Result|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            void M(Task<int> t)
            {
                Func<Task<int>> f = async () => await t;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task ResultInAsyncLocalFunction_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            void M(Task<int> t)
            {
                async Task<int> Local() => {|#0:t.Result|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task TaskReturningNonAsyncMethod_Triggers_FixAddsAsyncAndRewritesReturn() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task M(Task t)
            {
                {|#0:t.Wait()|};
                return Task.CompletedTask;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                await t;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait()", "the task completes; await the task instead"));

    [Fact]
    public Task TaskOfTReturningNonAsyncMethod_FixUnwrapsFromResult() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            public Task<int> M(Task<int> t)
            {
                if (t == null)
                    return Task.FromResult(0);
                return Task.FromResult({|#0:t.Result|} + 1);
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            public async Task<int> M(Task<int> t)
            {
                if (t == null)
                    return 0;
                return await t + 1;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task TaskReturningNonAsyncMethod_ReturnOfOtherTask_FixAwaitsIt() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task M(Task<int> t, Func<int, Task> next)
            {
                var x = {|#0:t.Result|};
                if (x > 0)
                    return next(x);
                return Task.CompletedTask;
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task<int> t, Func<int, Task> next)
            {
                var x = await t;
                if (x > 0)
                {
                    await next(x);
                    return;
                }
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task FixUsesConfigureAwaitFalse_WhenTheDocumentDoes() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t, Task u)
            {
                await u.ConfigureAwait(false);
                {|#0:t.Wait()|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t, Task u)
            {
                await u.ConfigureAwait(false);
                await t.ConfigureAwait(false);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait()", "the task completes; await the task instead"));

    [Fact]
    public Task FixAll_FixesEveryWaitInTheMethodAndMakesItAsyncOnce() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task<int> M(Task<int> a, Task<int> b)
            {
                var x = {|#0:a.Result|};
                var y = {|#1:b.GetAwaiter().GetResult()|};
                return Task.FromResult(x + y);
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b)
            {
                var x = await a;
                var y = await b;
                return x + y;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("GetAwaiter().GetResult()", "the task completes; await the task instead"));

    [Fact]
    public Task ResultInLinqLambdaInAsyncMethod_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int[]> M(List<Task<int>> tasks)
            {
                await Task.Yield();
                return tasks.Select(t => {|#0:t.Result|}).ToArray();
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task WaitInsideLock_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            private readonly object _gate = new();

            async Task M(Task t)
            {
                await Task.Yield();
                lock (_gate)
                {
                    {|#0:t.Wait()|};
                }
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait()", "the task completes; await the task instead"));

    [Fact]
    public Task ResultInAsyncMethodWithRefParameterLambda_NoFixWhenSpanLocal() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task M(Task<int> t)
            {
                Span<int> buffer = stackalloc int[4];
                buffer[0] = {|#0:t.Result|};
                return Task.CompletedTask;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    // ---- What must not fire (rules.md's precision list) ----

    [Fact]
    public Task SyncMethod_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            int M(Task<int> t) { t.Wait(); return t.Result + t.GetAwaiter().GetResult(); }
            static void Main() => Task.Delay(1).Wait();
        }
        """);

    [Fact]
    public Task TaskRunLambdaInAsyncMethod_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task<int> t)
            {
                await Task.Run(() => t.Result);
                var thread = new Thread(() => t.Wait());
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task SyncLocalFunctionInAsyncMethod_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task<int> t)
            {
                await Task.Yield();
                int Local() => t.Result;
            }
        }
        """);

    [Fact]
    public Task ResultAfterAwait_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> t)
            {
                await t;
                return t.Result;
            }
        }
        """);

    [Fact]
    public Task ResultAfterAwaitWithConfigureAwait_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            private Task<int> _load = Task.FromResult(1);

            async Task<int> M()
            {
                await _load.ConfigureAwait(false);
                return _load.Result;
            }
        }
        """);

    [Fact]
    public Task ResultAfterAwaitThenReassignment_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> t, Func<Task<int>> next)
            {
                await t;
                t = next();
                return {|#0:t.Result|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task ResultAfterWhenAll_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b)
            {
                await Task.WhenAll(a, b);
                return a.Result + b.Result;
            }
        }
        """);

    [Fact]
    public Task ResultAfterWhenAllOverCollection_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(IEnumerable<int> ids, Func<int, Task<int>> load)
            {
                var tasks = ids.Select(load).ToList();
                await Task.WhenAll(tasks);
                var sum = tasks.Sum(t => t.Result);
                foreach (var t in tasks)
                    sum += t.Result;
                return sum + tasks[0].Result + tasks.First().Result;
            }
        }
        """);

    [Fact]
    public Task ResultAfterWaitAllOrWait_IsNotReportedAgain() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<decimal> M(string[] skus, Task<int> single, Func<string, Task<decimal>> price)
            {
                var lookups = skus.Select(price).ToArray();
                {|#0:Task.WaitAll(lookups)|};
                {|#1:single.Wait()|};
                return skus.Zip(lookups, (sku, p) => p.Result).Sum() + single.Result;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.WaitAll", "all the tasks complete; use 'await Task.WhenAll' instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("Task.Wait()", "the task completes; await the task instead"));

    [Fact]
    public Task ResultOfTheWhenAnyWinner_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> work, TimeSpan timeout)
            {
                var completed = await Task.WhenAny(work, Task.Delay(timeout));
                if (completed == work)
                    return work.Result;
                return -1;
            }

            async Task<int> N(Task<int> work, TimeSpan timeout)
            {
                var completed = await Task.WhenAny(work, Task.Delay(timeout));
                if (completed != work)
                    throw new TimeoutException();
                return work.Result;
            }

            async Task<int> Other(Task<int> work, Task<int> other)
            {
                var completed = await Task.WhenAny(work, Task.Delay(1));
                if (completed == work)
                    return {|#0:other.Result|};
                return 0;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task ResultAfterWhenAllOverDictionaryValues_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Dictionary<string, Task<int>> byKey, List<Task<int>> list)
            {
                await Task.WhenAll(byKey.Values);
                await Task.WhenAll(list.ToArray());
                var sum = byKey["a"].Result + list[0].Result;
                foreach (var (key, task) in byKey)
                    sum += task.Result;
                foreach (var entry in byKey)
                    sum += entry.Value.Result;
                return sum + byKey.Sum(pair => pair.Value.Result);
            }
        }
        """);

    [Fact]
    public Task ResultUnderIsCompletedGuard_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> t, ValueTask<int> v)
            {
                if (t.IsCompleted)
                    return t.Result;
                if (v.IsCompletedSuccessfully && v.Result > 0)
                    return v.Result;
                var x = t.IsCompletedSuccessfully ? t.Result : await t;
                if (t is { IsCompleted: true })
                    x += t.Result;
                return x;
            }
        }
        """);

    [Fact]
    public Task ResultUnderStatusGuard_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> t)
            {
                if (t.Status == TaskStatus.RanToCompletion)
                    return t.Result;
                switch (t.Status)
                {
                    case TaskStatus.RanToCompletion:
                        return t.Result;
                }

                return await t;
            }
        }
        """);

    [Fact]
    public Task ResultAfterEarlyReturnFastPath_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            Task<int> M(Task<int> t)
            {
                if (!t.IsCompletedSuccessfully)
                    return Slow(t);
                return Task.FromResult(t.Result + 1);
            }

            async Task<int> Slow(Task<int> t) => await t + 1;
        }
        """);

    [Fact]
    public Task ResultAfterWaitWithTimeoutReturnedTrue_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            int M(Task<int> t) => t.Result; // sync: not async context

            async Task<int> N(Task<int> t)
            {
                await Task.Yield();
                if ({|#0:t.Wait(100)|})
                    return t.Result;
                return -1;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait(…)", "the task completes; await the task instead"));

    [Fact]
    public Task AntecedentInsideContinueWith_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task<int> t)
            {
                await t.ContinueWith(async antecedent => { await Task.Yield(); Console.WriteLine(antecedent.Result); });
            }
        }
        """);

    [Fact]
    public Task CompletedTaskValues_DoNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M()
            {
                var done = Task.FromResult(1);
                Task.CompletedTask.Wait();
                Task.CompletedTask.GetAwaiter().GetResult();
                var finished = await Task.WhenAny(done, Task.FromResult(2));
                return done.Result + Task.FromResult(2).Result + finished.Result + new ValueTask<int>(3).Result;
            }
        }
        """);

    [Fact]
    public Task NameOf_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<string> M(Task<int> t)
            {
                await Task.Yield();
                return nameof(t.Result);
            }
        }
        """);

    [Fact]
    public Task SharedSyncAsyncCodePath_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> Core(Task<int> t, bool async)
            {
                if (async)
                    return await t;
                else
                    return t.GetAwaiter().GetResult();
            }

            async Task<int> Core2(Task<int> t, bool useAsync) => useAsync ? await t : t.Result;
        }
        """);

    [Fact]
    public Task ExcludedApi_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t)
            {
                await Task.Yield();
                t.Wait();
            }
        }
        """,
        "concurrency_analyzers.excluded_apis = M:System.Threading.Tasks.Task.Wait\n");

    // From a field check on a resilience library: the arm a flag names as synchronous is deliberate — a property of a
    // context (IsSynchronous), a negated async flag — while a guard on something else is not.
    [Fact]
    public Task BlockingInTheArmASyncFlagNames_DoesNotTrigger_ButUnderAnotherCondition_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class ResilienceContext { public bool IsSynchronous { get; init; } public bool IsVerbose { get; init; } }

        class Controller
        {
            async ValueTask<int> ExecuteAsync(ResilienceContext context, Task<int> pending, Task<int> other, bool async)
            {
                if (context.IsSynchronous && !pending.IsCompleted)
                    pending.GetAwaiter().GetResult();
                if (!async)
                    pending.Wait();
                if (context.IsVerbose)
                    {|#0:other.Wait()|};
                return await pending + await other;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.Wait()", "the task completes; await the task instead"));

    [Fact]
    public Task SeverityNone_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(Task t) { await Task.Yield(); t.Wait(); }
        }
        """,
        "dotnet_diagnostic.CONC001.severity = none\n");
}
