using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Boundaries.CONC031AsyncVoidDelegateAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Boundaries.CONC031AsyncVoidDelegateCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Boundaries;

public class CONC031AsyncVoidDelegateTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult AsVoid(int location, string what, string type) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(what, type);

    // Every void delegate an async lambda or method group is given to: reported. Event handler types and event
    // subscriptions, Func<Task> parameters (Task.Run, ForEachAsync) and synchronous lambdas stay quiet.
    [Fact]
    public Task AsyncLambdasAsVoidDelegates_Trigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        delegate void Job(int id);

        class Button { public event EventHandler? Click; }

        class C
        {
            void Run(Action action) => action();

            async void Tick(object? state) => await Task.Yield();

            void M(CancellationToken token, Button button, int[] ids)
            {
                Run({|#0:async () =>|} await Task.Delay(1));
                new Thread({|#1:async () =>|} await Task.Delay(1));
                using var timer = new Timer({|#2:async _ =>|} await Task.Delay(1), null, 0, 1000);
                ThreadPool.QueueUserWorkItem({|#3:async _ =>|} await Task.Delay(1));
                token.Register({|#4:async () =>|} await Task.Delay(1));
                Job job = {|#5:async id =>|} await Task.Delay(id);
                Action<int> print = {|#6:async delegate (int x)|} { await Task.Delay(x); };
                ThreadPool.QueueUserWorkItem({|#7:Tick|});

                button.Click += async (s, e) => await Task.Delay(1);
                EventHandler handler = async (s, e) => await Task.Delay(1);
                _ = Task.Run(async () => await Task.Delay(1));
                Func<Task> later = async () => await Task.Delay(1);
                Run(() => Console.WriteLine());
            }
        }
        """,
        AsVoid(0, "lambda", "Action"), AsVoid(1, "lambda", "ThreadStart"), AsVoid(2, "lambda", "TimerCallback"),
        AsVoid(3, "lambda", "WaitCallback"), AsVoid(4, "lambda", "Action"), AsVoid(5, "lambda", "Job"),
        AsVoid(6, "anonymous method", "Action<int>"), AsVoid(7, "method 'Tick'", "WaitCallback"));

    // Parallel.ForEach and Parallel.For with an async body become ForEachAsync/ForAsync, awaited, with the token in
    // scope; List<T>.ForEach and Array.ForEach become a foreach that awaits each item (return → continue).
    [Fact]
    public Task ParallelAndForEach_FixAwaitsTheWork() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Sync
        {
            public async Task PushAsync(List<string> names, int[] ids, CancellationToken token)
            {
                Parallel.ForEach(names, {|#0:async name =>|}
                {
                    await Task.Delay(name.Length, token);
                });
                Parallel.For(0, 10, {|#1:async i =>|} await Task.Delay(i));
                names.ForEach({|#2:async name =>|}
                {
                    if (name.Length == 0)
                        return;
                    await Task.Delay(name.Length);
                });
                Array.ForEach(ids, {|#3:async id =>|} await Task.Delay(id));
            }
        }
        """,
        /* lang=c#-test */ """
        class Sync
        {
            public async Task PushAsync(List<string> names, int[] ids, CancellationToken token)
            {
                await Parallel.ForEachAsync(names, token, async (name, ct) =>
                {
                    await Task.Delay(name.Length, token);
                });
                await Parallel.ForAsync(0, 10, token, async (i, ct) => await Task.Delay(i));
                foreach (var name in names)
                {
                    if (name.Length == 0)
                        continue;
                    await Task.Delay(name.Length);
                }
                foreach (var id in ids)
                {
                    await Task.Delay(id);
                }
            }
        }
        """,
        AsVoid(0, "lambda", "Action<string>"), AsVoid(1, "lambda", "Action<int>"), AsVoid(2, "lambda", "Action<string>"), AsVoid(3, "lambda", "Action<int>"));

    // The usual home of the mistake is a void method: it becomes async Task (callers that call it as a statement
    // still compile, and its failures now reach the task instead of the process), unless something fixes its
    // signature or a method group of it exists — then no fix.
    [Fact]
    public Task VoidMethods_BecomeAsyncTask() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        class Warmer
        {
            public void WarmAll(List<string> keys)
            {
                keys.ForEach({|#0:async key =>|} await Task.Delay(key.Length));
            }

            public void Start(List<string> keys) => WarmAll(keys);
        }
        """,
        /* lang=c#-test */ """
        class Warmer
        {
            public async Task WarmAll(List<string> keys)
            {
                foreach (var key in keys)
                {
                    await Task.Delay(key.Length);
                }
            }

            public void Start(List<string> keys) => WarmAll(keys);
        }
        """,
        editorConfig: null,
        equivalenceKey: null,
        fixedHasUsings: false,
        AsVoid(0, "lambda", "Action<string>"));

    // A ForEach whose body returns inside a loop, a loop whose result is used, a void method used as a method group,
    // an interface implementation: reported, no fix.
    [Fact]
    public Task ForEachThatCannotBecomeALoop_Trigger_NoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        class C
        {
            void M(List<int[]> batches)
            {
                batches.ForEach({|#0:async batch =>|}
                {
                    foreach (var x in batch)
                    {
                        if (x < 0)
                            return;
                        await Task.Delay(x);
                    }
                });
                var result = Parallel.ForEach(batches, {|#1:async b =>|} await Task.Delay(b.Length));
            }

            void Used(List<int> ids) => ids.ForEach({|#2:async id =>|} await Task.Delay(id));

            void Wire(List<Action<List<int>>> handlers) => handlers.Add(Used);
        }

        interface IWarm { void Warm(List<int> ids); }

        class Impl : IWarm
        {
            public void Warm(List<int> ids) => ids.ForEach({|#3:async id =>|} await Task.Delay(id));
        }
        """,
        AsVoid(0, "lambda", "Action<int[]>"), AsVoid(1, "lambda", "Action<int[]>"), AsVoid(2, "lambda", "Action<int>"), AsVoid(3, "lambda", "Action<int>"));

    // An event the project declares with a void delegate type can take a Func<T, Task>: an async subscription to it is
    // reported. A library's event (here AppDomain's, any delegate type) and an EventHandler event are not.
    [Fact]
    public Task SubscriptionToAnEventOfTheProject_Triggers_ButALibrarysEventDoesNot() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Hub
        {
            public event Action<string>? Published;
            public event EventHandler? Delivered;

            public void Publish(string message) => Published?.Invoke(message);
            public void Deliver() => Delivered?.Invoke(this, EventArgs.Empty);
        }

        class Notifier
        {
            public Notifier(Hub hub)
            {
                hub.Published += {|#0:async message =>|} await SendAsync(message);
                hub.Delivered += async (s, e) => await SendAsync("delivered");
                AppDomain.CurrentDomain.ProcessExit += async (s, e) => await SendAsync("exit");
                AppDomain.CurrentDomain.AssemblyLoad += async (s, e) => await SendAsync(e.LoadedAssembly.FullName ?? "");
            }

            private static Task SendAsync(string message) => Task.Delay(message.Length);
        }
        """,
        AsVoid(0, "lambda", "Action<string>"));
}
