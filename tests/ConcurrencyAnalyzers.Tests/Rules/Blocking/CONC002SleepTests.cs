using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC002SleepAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC002SleepCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

public class CONC002SleepTests
{
    [Fact]
    public Task ThreadSleepInAsyncMethod_Triggers_FixAwaitsDelay() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M()
            {
                {|#0:Thread.Sleep(100)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M()
            {
                await Task.Delay(100);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task ThreadSleep_FixUsesTokenInScope() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(TimeSpan delay, CancellationToken cancellationToken)
            {
                {|#0:Thread.Sleep(delay)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(TimeSpan delay, CancellationToken cancellationToken)
            {
                await Task.Delay(delay, cancellationToken);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task ThreadSleep_TwoTokensInScope_FixForwardsNone() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(CancellationToken a, CancellationToken b)
            {
                {|#0:Thread.Sleep(5)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(CancellationToken a, CancellationToken b)
            {
                await Task.Delay(5);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task ThreadSleepInAsyncLambda_Triggers() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Func<CancellationToken, Task> M() => async ct =>
            {
                {|#0:Thread.Sleep(1000)|};
            };
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            Func<CancellationToken, Task> M() => async ct =>
            {
                await Task.Delay(1000, ct);
            };
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task ThreadSleepInTaskReturningMethod_FixMakesItAsync() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            Task<int> M()
            {
                {|#0:Thread.Sleep(TimeSpan.FromSeconds(1))|};
                return Task.FromResult(42);
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M()
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                return 42;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task ThreadSleep_FixQualifiesTaskWhenTasksNamespaceIsNotImported() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async System.Threading.Tasks.Task M()
            {
                {|#0:System.Threading.Thread.Sleep(10)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async System.Threading.Tasks.Task M()
            {
                await System.Threading.Tasks.Task.Delay(10);
            }
        }
        """,
        prependUsings: false,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task SpinUntilWithTimeout_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            volatile bool _ready;

            async Task M()
            {
                await Task.Yield();
                {|#0:SpinWait.SpinUntil(() => _ready, 1000)|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("SpinWait.SpinUntil"));

    [Fact]
    public Task SleepInsideLinqLambdaOfAsyncMethod_Triggers_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int[]> M(int[] items)
            {
                await Task.Yield();
                return items.Select(i => { {|#0:Thread.Sleep(i)|}; return i; }).ToArray();
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task FixAll_FixesEverySleep() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M(CancellationToken ct)
            {
                {|#0:Thread.Sleep(1)|};
                {|#1:Thread.Sleep(2)|};
            }
        }
        """,
        /* lang=c#-test */ """
        class C
        {
            async Task M(CancellationToken ct)
            {
                await Task.Delay(1, ct);
                await Task.Delay(2, ct);
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("Thread.Sleep"));

    [Fact]
    public Task SleepZero_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task M()
            {
                await Task.Yield();
                Thread.Sleep(0);
                Thread.Sleep(TimeSpan.Zero);
                SpinWait.SpinUntil(() => true, 0);
            }
        }
        """);

    [Fact]
    public Task SleepInSyncCodeAndDeferredDelegates_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            void Sync() => Thread.Sleep(100);

            async Task M()
            {
                await Task.Run(() => Thread.Sleep(100));
                var t = new Thread(() => Thread.Sleep(100));
                var lazy = new Lazy<int>(() => { Thread.Sleep(1); return 1; });
                SpinWait.SpinUntil(() => true);
            }
        }
        """);
}
