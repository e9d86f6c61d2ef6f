using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Boundaries.CONC032AsyncStartNewAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Boundaries.CONC032AsyncStartNewCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Boundaries;

public class CONC032AsyncStartNewTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult StartNew(int location, string inner) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(inner);

    // StartNew with an async lambda, a lambda returning a task, a method group returning Task<int>: Task.Run for the
    // plain call (with its token, and discarded), Unwrap() where a scheduler, options or a state object is passed; a
    // discarded one that chooses options or a scheduler only with LongRunning (its thread is wasted). Synchronous
    // delegates, Unwrap(), await await, a local awaited twice, fire-and-forget with chosen options and Task.Run stay quiet.
    [Fact]
    public Task AsyncDelegatesToStartNew_Trigger_FixUnwraps() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Jobs
        {
            async Task<int> ComputeAsync() { await Task.Yield(); return 1; }
            int Compute() => 1;

            public async Task RunAsync(TaskScheduler scheduler, CancellationToken token)
            {
                await Task.Factory.{|#0:StartNew(async () => await Task.Delay(10))|};
                await Task.Factory.{|#1:StartNew(() => ComputeAsync(), token)|};
                Task.Factory.{|#2:StartNew(ComputeAsync, token, TaskCreationOptions.LongRunning, scheduler)|};
                await new TaskFactory(scheduler).{|#3:StartNew(async () => await Task.Delay(10))|};
                await Task.Factory.{|#4:StartNew(async state => await Task.Delay((int)state!), 5)|};
                _ = Task.Factory.{|#5:StartNew(async () => await Task.Delay(10))|};
                _ = Task.Factory.StartNew(async () => await Task.Delay(10), token, TaskCreationOptions.PreferFairness, TaskScheduler.Default).ConfigureAwait(false);
                await Task.Factory.{|#6:StartNew(async () => await Task.Delay(10).ConfigureAwait(false))|}.ConfigureAwait(false);

                var value = await Task.Factory.StartNew(() => Compute());
                await Task.Factory.StartNew(async () => await Task.Delay(10)).Unwrap();
                await await Task.Factory.StartNew(async () => await Task.Delay(10));
                var outer = Task.Factory.StartNew(ComputeAsync);
                var inner = await outer;
                await inner;
                await Task.Run(async () => await Task.Delay(10));
            }
        }
        """,
        /* lang=c#-test */ """
        class Jobs
        {
            async Task<int> ComputeAsync() { await Task.Yield(); return 1; }
            int Compute() => 1;

            public async Task RunAsync(TaskScheduler scheduler, CancellationToken token)
            {
                await Task.Run(async () => await Task.Delay(10));
                await Task.Run(() => ComputeAsync(), token);
                Task.Factory.StartNew(ComputeAsync, token, TaskCreationOptions.LongRunning, scheduler).Unwrap();
                await new TaskFactory(scheduler).StartNew(async () => await Task.Delay(10)).Unwrap();
                await Task.Factory.StartNew(async state => await Task.Delay((int)state!), 5).Unwrap();
                _ = Task.Run(async () => await Task.Delay(10));
                _ = Task.Factory.StartNew(async () => await Task.Delay(10), token, TaskCreationOptions.PreferFairness, TaskScheduler.Default).ConfigureAwait(false);
                await Task.Run(async () => await Task.Delay(10).ConfigureAwait(false)).ConfigureAwait(false);

                var value = await Task.Factory.StartNew(() => Compute());
                await Task.Factory.StartNew(async () => await Task.Delay(10)).Unwrap();
                await await Task.Factory.StartNew(async () => await Task.Delay(10));
                var outer = Task.Factory.StartNew(ComputeAsync);
                var inner = await outer;
                await inner;
                await Task.Run(async () => await Task.Delay(10));
            }
        }
        """,
        StartNew(0, "Task"), StartNew(1, "Task<int>"), StartNew(2, "Task<int>"), StartNew(3, "Task"), StartNew(4, "Task"), StartNew(5, "Task"),
        StartNew(6, "Task"));

    // The Task<Task> kept as one (a Task<Task> local, passed on where a Task<Task> is taken): reported, no fix — the
    // unwrapped type would not fit. The inner task awaited and kept to await later is the right use: quiet.
    [Fact]
    public Task ResultUsedAsTaskOfTask_Trigger_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            void Keep(Task<Task> task) { }

            async Task M()
            {
                Task started = await Task.Factory.StartNew(async () => await Task.Delay(10));
                Task<Task> kept = Task.Factory.{|#0:StartNew(async () => await Task.Delay(10))|};
                Keep(Task.Factory.{|#1:StartNew(async () => await Task.Delay(10))|});
                await Task.WhenAll(started, kept);
            }
        }
        """,
        StartNew(0, "Task"), StartNew(1, "Task"));
}
