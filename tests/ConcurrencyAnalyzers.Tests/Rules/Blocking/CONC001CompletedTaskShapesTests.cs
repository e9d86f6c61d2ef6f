using System.Threading.Tasks;
using ConcurrencyAnalyzers.Tests.Core;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Blocking.CONC001BlockingWaitAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Blocking.CONC001BlockingWaitCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Blocking;

/// <summary>
/// CONC001's known-complete look-alikes in the shapes the compilers users run produce (Roslyn 5 binds
/// <c>Task.WhenAll(a, b)</c> to the <c>params ReadOnlySpan&lt;Task&gt;</c> overload, C# 12+ writes collection
/// expressions and spreads), each beside the look-alike that must still be reported. Both runs use these sources.
/// Collection-expression arguments legitimately differ: Roslyn 4.11 (C# 12) cannot choose between
/// <c>WhenAll(params ReadOnlySpan&lt;Task&gt;)</c> and <c>WhenAll&lt;T&gt;(params ReadOnlySpan&lt;Task&lt;T&gt;&gt;)</c> for
/// <c>Task.WhenAll([a, b])</c> (CS0121: the code does not compile there), so with nothing bound nothing is known
/// complete; the tests that say <c>Roslyn411CannotBindIt</c> in their name expect exactly that on 4.11.
/// </summary>
public class CONC001CompletedTaskShapesTests
{
    private static DiagnosticResult[] OnRoslyn411(params DiagnosticResult[] expected) =>
        HostCompilerTests.IsRoslyn411Run ? expected : System.Array.Empty<DiagnosticResult>();

    private static DiagnosticResult Ambiguous(int location) => DiagnosticResult.CompilerError("CS0121").WithLocation(location);

    private static DiagnosticResult Result(int location) => VerifyCS.Diagnostic().WithLocation(location).WithArguments("Task<T>.Result", "the task completes; await the task instead");

    // ---- Must not fire ----

    [Fact]
    public Task ResultAfterWhenAllOfACollectionExpression_DoesNotTrigger_Roslyn411CannotBindIt() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b)
            {
                await Task.{|#0:WhenAll|}([a, b]);
                return {|#1:a.Result|} + {|#2:b.Result|};
            }
        }
        """,
        OnRoslyn411(Ambiguous(0), Result(1), Result(2)));

    [Fact]
    public Task ResultAfterWhenAllWithASpread_DoesNotTrigger_Roslyn411CannotBindIt() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(List<Task<int>> tasks, Task<int> last)
            {
                await Task.{|#0:WhenAll|}([.. tasks, last]);
                return {|#1:tasks[0].Result|} + tasks.Sum(t => {|#2:t.Result|}) + {|#3:last.Result|};
            }
        }
        """,
        OnRoslyn411(Ambiguous(0), Result(1), Result(2), Result(3)));

    [Fact]
    public Task ResultAfterConfiguredWhenAllOfParamsArguments_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
            {
                await Task.WhenAll(a, b, c).ConfigureAwait(false);
                return a.Result + b.Result + c.Result;
            }
        }
        """);

    [Fact]
    public Task ResultOfAConfiguredWhenAnyWinner_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b)
            {
                var winner = await Task.WhenAny(a, b).ConfigureAwait(false);
                return winner.Result;
            }
        }
        """);

    [Fact]
    public Task ResultInsideALambdaOverAFilteredSequence_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(List<Task<int>> tasks)
            {
                await Task.Yield();
                var done = tasks.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).Sum();
                return done + tasks.Where(t => t.Status == TaskStatus.RanToCompletion).OrderBy(t => t.Id).Sum(t => t.Result);
            }
        }
        """);

    [Fact]
    public Task ResultOfTheFirstCompletedTask_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(List<Task<int>> tasks)
            {
                await Task.Yield();
                return tasks.First(t => t.IsCompleted).Result + tasks.Where(t => t.IsCompleted).Last().Result;
            }
        }
        """);

    [Fact]
    public Task ResultAtTheIndexWaitAnyReturned_OnlyWaitAnyTriggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int>[] tasks)
            {
                await Task.Yield();
                var index = {|#0:Task.WaitAny(tasks)|};
                return tasks[index].Result;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.WaitAny", "one of the tasks completes; use 'await Task.WhenAny' instead"));

    // From a fresh-eyes check: the index WaitAny returns for a copy of the list is an index into the list.
    [Fact]
    public Task ResultAtTheIndexWaitAnyReturnedForACopyOfTheList_OnlyWaitAnyTriggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(List<Task<int>> running, CancellationToken ct)
            {
                await Task.Yield();
                var index = {|#0:Task.WaitAny(running.ToArray(), ct)|};
                return running[index].Result;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.WaitAny", "one of the tasks completes; use 'await Task.WhenAny' instead"));

    [Fact]
    public Task ResultUnderPropertyPatternGuards_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b)
            {
                await Task.Yield();
                var x = a is { IsCompleted: true } ? a.Result : 0;
                if (b is { Status: TaskStatus.RanToCompletion })
                    x += b.Result;
                return x;
            }
        }
        """);

    [Fact]
    public Task ResultOfAnElementUnderAGuardOnTheSameElement_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Dictionary<string, Task<int>> pending, string id, Task<int>[] array)
            {
                await Task.Yield();
                if (pending[id].IsCompleted)
                    return pending[id].Result;
                return array[0].IsCompletedSuccessfully ? array[0].Result : 0;
            }
        }
        """);

    // ---- Must fire: the same shapes, but the task read is not the one completed ----

    [Fact]
    public Task ResultOfATaskOutsideTheWhenAll_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, Task<int> other)
            {
                await Task.WhenAll(a, b);
                await Task.WhenAll(new[] { a, b });
                return {|#0:other.Result|};
            }
        }
        """,
        Result(0));

    [Fact]
    public Task ResultInsideALambdaOverASequenceFilteredOnSomethingElse_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(List<Task<int>> tasks)
            {
                await Task.Yield();
                return tasks.Where(t => t.Id > 0).Select(t => {|#0:t.Result|}).Sum() + {|#1:tasks.First(t => !t.IsCompleted).Result|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task ResultAtAnIndexWaitAnyReturnedForAnotherArray_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int>[] tasks, Task<int>[] others)
            {
                await Task.Yield();
                var index = {|#0:Task.WaitAny(tasks)|};
                return {|#1:others[index].Result|};
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task.WaitAny", "one of the tasks completes; use 'await Task.WhenAny' instead"),
        VerifyCS.Diagnostic().WithLocation(1).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    [Fact]
    public Task ResultOfAnotherElementThanTheGuardedOne_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Dictionary<string, Task<int>> pending, string id, string other, Task<int>[] array)
            {
                await Task.Yield();
                if (pending[id].IsCompleted)
                    return {|#0:pending[other].Result|};
                return array[0].IsCompletedSuccessfully ? {|#1:array[1].Result|} : 0;
            }
        }
        """,
        Result(0),
        Result(1));

    // The receiver chain counts: entry.Task awaited is not other.Task.
    [Fact]
    public Task ResultOfTheSamePropertyOnAnotherObject_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class Entry { public Task<int> Task { get; set; } = System.Threading.Tasks.Task.FromResult(0); }

        class C
        {
            async Task<int> M(Entry entry, Entry other)
            {
                await entry.Task;
                var known = entry.Task.Result;
                if (entry.Task.IsCompleted)
                    known += {|#0:other.Task.Result|};
                return known + {|#1:other.Task.Result|};
            }
        }
        """,
        Result(0),
        Result(1));

    // What a guard or an await knew is undone by a write of the task, its collection or its index before the use.
    [Fact]
    public Task ResultAfterAWriteBetweenTheGuardAndTheUse_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> t, Task<int>[] tasks, int i, Func<Task<int>> start)
            {
                await Task.Yield();
                if (t.IsCompleted)
                {
                    t = start();
                    return {|#0:t.Result|};
                }

                if (tasks[i].IsCompleted)
                {
                    i++;
                    return {|#1:tasks[i].Result|};
                }

                await Task.WhenAll(tasks);
                tasks[0] = start();
                return {|#2:tasks[0].Result|};
            }
        }
        """,
        Result(0),
        Result(1),
        Result(2));

    [Fact]
    public Task ResultUnderANegatedPropertyPattern_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        class C
        {
            async Task<int> M(Task<int> a)
            {
                await Task.Yield();
                return a is { IsCompleted: false } ? {|#0:a.Result|} : 0;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));

    // From a field check on an RPC client that also targets netstandard2.0: its completion guard is an extension
    // method standing in for the property. Another extension of that name on something else is no guard.
    [Fact]
    public Task CompletionGuardWrittenAsAnExtensionMethod_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        static class Compatibility
        {
            public static bool IsCompletedSuccessfully(this Task task) => task.Status == TaskStatus.RanToCompletion;
            public static bool IsCompleted(this string text) => text.Length > 0;
        }

        class Call
        {
            private readonly TaskCompletionSource<int> _status = new();

            async Task<int> M(Task<int> other, string text)
            {
                await Task.Yield();
                var known = _status.Task.IsCompletedSuccessfully() ? _status.Task.Result : -1;
                if (!other.IsCompletedSuccessfully())
                    return known;
                var value = other.Result;
                if (text.IsCompleted())
                    value += {|#0:_status.Task.Result|};
                return value;
            }
        }
        """,
        VerifyCS.Diagnostic().WithLocation(0).WithArguments("Task<T>.Result", "the task completes; await the task instead"));
}
