using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Executors.CONC040ProcessBoundaryAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace ConcurrencyAnalyzers.Tests.Rules.Executors;

public class CONC040ProcessBoundaryTests
{
    private static DiagnosticResult Boundary(int location, string problem) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(problem).WithSeverity(DiagnosticSeverity.Error);

    // What the runtime rejects at submit time with an ArgumentException (the cases of the runtime's own tests:
    // a closure, instance method groups, an argument with a delegate property), and what it cannot find in a worker
    // (generic methods, lambdas of generic methods), plus async work returning an awaitable a worker does not await
    // (ValueTask: the runtime's async overloads take Task and Task<T> only).
    [Fact]
    public Task WorkTheRuntimeRejects_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        public sealed class NotSerializable { public Action Callback { get; set; } = () => { }; }

        public static class Jobs
        {
            public static int Twice(int x) => x * 2;
            public static T Same<T>(T x) => x;
            public static ValueTask<int> SoonAsync(int x) => new(x);
            public static int AddLength(this string s, int extra) => s.Length + extra;
        }

        public class Submitter
        {
            private int _offset = 1;

            public async Task Generic<T>(ProcessExecutor executor, T item) =>
                await executor.RunAsync({|#6:static (int x) => x|}, 1);

            public async Task M(ProcessExecutor executor)
            {
                var factor = 3;
                await executor.RunAsync({|#0:(int x) => x * factor|}, 1);
                await executor.RunAsync({|#1:new Func<string, bool>("abc".Contains)|}, "b");
                var holder = new List<int>();
                await executor.RunAsync({|#2:new Func<int, bool>(holder.Remove)|}, 1);
                await executor.RunAsync(static (NotSerializable _) => 1, {|#3:new NotSerializable()|});
                await executor.RunAsync({|#4:(int x) => x + _offset|}, 1);
                await executor.RunAsync<int, int>({|#5:Jobs.Same|}, 1);
                await executor.RunAsync({|#7:Jobs.SoonAsync|}, 1);
                await executor.RunAsync({|#8:static (int x) => new ValueTask<int>(x)|}, 1);
            }
        }
        """,
        Boundary(0, "the lambda captures 'factor', which does not exist in the worker process; pass it in the argument and make the lambda static"),
        Boundary(1, "'Contains' is an instance method, bound to an object the worker process cannot see; use a static method and pass what it needs in the argument"),
        Boundary(2, "'Remove' is an instance method, bound to an object the worker process cannot see; use a static method and pass what it needs in the argument"),
        Boundary(3, "the argument cannot be sent: its member 'Callback': 'Action' is a delegate, which cannot be serialized"),
        Boundary(4, "the lambda captures 'this', which does not exist in the worker process; pass what it uses of 'this' in the argument and make the lambda static"),
        Boundary(5, "'Same' is generic or declared in a generic type, which a worker process cannot find; use a non-generic static method"),
        Boundary(6, "the lambda is declared in a generic method or type, which a worker process cannot find; move it to a static method of a non-generic class"),
        Boundary(7, "'SoonAsync' returns 'ValueTask<int>': a worker process awaits async work only when it returns Task or Task<T>; return a Task (or call .AsTask())"),
        Boundary(8, "the work returns 'ValueTask<int>': a worker process awaits async work only when it returns Task or Task<T>; return a Task"));

    // Values that do not survive the executor's round trip (System.Text.Json, fields included): a stored member
    // nothing can set (a get-only auto-property, a read-only field, no constructor parameter for it), state only in
    // private fields, object, interfaces and abstract types without [JsonDerivedType], no usable constructor, streams,
    // pointers-as-IntPtr — the shapes the runtime's own check rejects at submit time.
    [Fact]
    public Task ValuesThatDoNotSurviveTheTrip_Trigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;

        public struct Fixed { public readonly double X; public Fixed(double x) { X = x; } }
        public interface IShape { double Area { get; } }
        public abstract class Shape { public double Area { get; set; } }
        public sealed class Sealed { private Sealed() { } public int Value { get; set; } }
        public sealed class ReadOnly { public int Value { get; } }
        public sealed class Counted { public Counted() { } public Counted(int count) { Count = count; } public int Count { get; } }
        public sealed class Hidden { private int _total; public void Add(int x) => _total += x; }
        public sealed class Holder { public object? Payload { get; set; } }

        public static class Jobs
        {
            public static double Norm(Fixed p) => p.X;
            public static int Any(object o) => 0;
            public static double Area(IShape s) => s.Area;
            public static double Area2(Shape s) => s.Area;
            public static int Value(Sealed s) => s.Value;
            public static int Value2(ReadOnly r) => r.Value;
            public static Stream Open(string path) => Stream.Null;
            public static IntPtr Handle(int x) => IntPtr.Zero;
            public static int Count(Counted c) => c.Count;
            public static int Total(Hidden h) => 0;
            public static int Payload(Holder h) => 0;
        }

        public class Submitter
        {
            public async Task M(ProcessExecutor executor)
            {
                await executor.RunAsync(Jobs.Norm, {|#1:new Fixed(1)|});
                await executor.RunAsync(Jobs.Any, {|#2:(object)1|});
                await executor.RunAsync(Jobs.Area, {|#3:(IShape)null!|});
                await executor.RunAsync(Jobs.Area2, {|#4:(Shape)null!|});
                await executor.RunAsync(Jobs.Value, {|#5:(Sealed)null!|});
                await executor.RunAsync(Jobs.Value2, {|#6:new ReadOnly()|});
                await executor.RunAsync({|#7:Jobs.Open|}, "x");
                await executor.RunAsync({|#8:Jobs.Handle|}, 1);
                await executor.RunAsync(Jobs.Count, {|#9:new Counted(2)|});
                await executor.RunAsync(Jobs.Total, {|#10:new Hidden()|});
                await executor.RunAsync(Jobs.Payload, {|#11:new Holder()|});
                await foreach (var _ in executor.MapAsync(Jobs.Count, {|#12:new[] { new Counted(1) }|}, 10, default)) { }
                await executor.RunAsync(static async (Hidden h) => await Task.Yield(), {|#13:new Hidden()|});
            }
        }
        """,
        Boundary(1, "the argument cannot be sent: 'Fixed.X' cannot be set when the JSON is read (no setter and no constructor parameter), so it arrives as its default"),
        Boundary(2, "the argument cannot be sent: 'object' arrives in the other process as a JsonElement, not as the value sent"),
        Boundary(3, "the argument cannot be sent: 'IShape' is an interface, which System.Text.Json cannot create on the other side; declare a concrete type or add [JsonDerivedType]"),
        Boundary(4, "the argument cannot be sent: 'Shape' is abstract, which System.Text.Json cannot create on the other side; declare a concrete type or add [JsonDerivedType]"),
        Boundary(5, "the argument cannot be sent: 'Sealed' has no public constructor System.Text.Json can call on the other side"),
        Boundary(6, "the argument cannot be sent: 'ReadOnly.Value' cannot be set when the JSON is read (no setter and no constructor parameter), so it arrives as its default"),
        Boundary(7, "the result cannot come back: 'Stream' stands for something of this process, which cannot be serialized"),
        Boundary(8, "the result cannot come back: 'IntPtr' is an address in this process"),
        Boundary(9, "the argument cannot be sent: 'Counted.Count' cannot be set when the JSON is read (no setter and no constructor parameter), so it arrives as its default"),
        Boundary(10, "the argument cannot be sent: 'Hidden' has no public member System.Text.Json can see, so its state (_total) would not travel"),
        Boundary(11, "the argument cannot be sent: its member 'Payload': 'object' arrives in the other process as a JsonElement, not as the value sent"),
        Boundary(12, "the argument cannot be sent: 'Counted.Count' cannot be set when the JSON is read (no setter and no constructor parameter), so it arrives as its default"),
        Boundary(13, "the argument cannot be sent: 'Hidden' has no public member System.Text.Json can see, so its state (_total) would not travel"));

    // What the runtime accepts and delivers: static lambdas, lambdas that capture nothing, static method groups;
    // primitives, strings, records (positional and with setters), arrays, lists and dictionaries of them, nullable
    // values, dates and GUIDs, an enum; a field-only type named by a source-generated JsonSerializerContext (the
    // executor may be given it: its serialization is the context's); a delegate held in a variable (known at run time only);
    // tuples and field-only types (the executor includes fields); immutable types whose constructor sets every stored
    // member; computed properties (serialized, recomputed on the other side); abstract types with [JsonDerivedType];
    // async work returning Task or Task<T>, which the worker awaits.
    [Fact]
    public Task WorkThatCrossesTheBoundary_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Text.Json.Serialization;
        using ConcurrencyAnalyzers.Runtime;

        public sealed record Order(int Id, string Customer, decimal[] Lines);
        public sealed class Settings { public string Name { get; set; } = ""; public Dictionary<string, int> Limits { get; set; } = new(); }
        public enum Mode { Fast, Slow }
        public struct Vector { public double X; public double Y; }
        public struct Point { public double X; public double Y; }
        public sealed class Money { public Money(decimal amount) { Amount = amount; } public decimal Amount { get; } public bool IsZero => Amount == 0; }
        [JsonDerivedType(typeof(Circle), "circle")]
        public abstract record Figure;
        public sealed record Circle(double Radius) : Figure;

        // The source generator writes the rest of such a context; the attribute is what says it governs Vector.
        [JsonSerializable(typeof(Vector))]
        public abstract class JobContext : JsonSerializerContext { protected JobContext() : base(null) { } }

        public static class Jobs
        {
            public static decimal Total(Order o) => o.Lines.Sum();
            public static int Count(Settings s) => s.Limits.Count;
            public static Order[] Split(List<Order> orders) => orders.ToArray();
            public static int? Maybe(DateTime? when) => when?.Day;
            public static Guid Id(Mode mode) => Guid.Empty;
            public static Vector Scale(Vector v) => v;
            public static string Name((int Id, string Name) item) => item.Name;
            public static double Norm(Point p) => p.X;
            public static decimal Amount(Money m) => m.Amount;
            public static Figure Same(Figure f) => f;
            public static async Task<int> LaterAsync(int x) { await Task.Yield(); return x; }
            public static async Task WriteAsync(string path) => await File.WriteAllTextAsync(path, "x");
        }

        public class Submitter
        {
            public async Task M(ProcessExecutor executor, Func<int, int> given)
            {
                await executor.RunAsync(static (int x) => x * 2, 21);
                await executor.RunAsync((string s) => s.Length, "abc");
                await executor.RunAsync(Jobs.Total, new Order(1, "a", new[] { 1m }));
                await executor.RunAsync(Jobs.Count, new Settings());
                await executor.RunAsync(Jobs.Split, new List<Order>());
                await executor.RunAsync(Jobs.Maybe, (DateTime?)DateTime.UtcNow);
                await executor.RunAsync(Jobs.Id, Mode.Fast);
                await executor.RunAsync(Jobs.Scale, new Vector { X = 1 });
                await executor.RunAsync(given, 1);
                await executor.RunAsync(Jobs.Name, (1, "a"));
                await executor.RunAsync(Jobs.Norm, new Point { X = 1 });
                await executor.RunAsync(Jobs.Amount, new Money(1m));
                await executor.RunAsync(Jobs.Same, (Figure)new Circle(1));
                await executor.RunAsync(Jobs.LaterAsync, 1);
                await executor.RunAsync(Jobs.WriteAsync, "path");
                await executor.RunAsync(static async (int x) => { await Task.Yield(); return x; }, 1);
                await foreach (var _ in executor.MapAsync(Jobs.Total, new[] { new Order(1, "a", new[] { 1m }) }, 10, default)) { }
            }
        }
        """);

    // Found by a differential run of the packed runtime (a harness that submits 170 shapes and records what the runtime
    // rejects): a local function that captures nothing is compiled static and accepted; a [JsonInclude] private field
    // travels. Rejected at submit, and so reported here: a local function that captures, a combined delegate, a
    // multi-dimensional array, a dictionary keyed by a record, an exception result, an async stream result. NaN travels
    // (the executor allows named floating-point literals).
    [Fact]
    public Task ShapesFromTheRuntimesDifferentialRun() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using ConcurrencyAnalyzers.Runtime;
        using System.Text.Json.Serialization;

        public record Key(int X, int Y);

        public sealed class Counter
        {
            [JsonInclude] private int _count;
            public void Add() => _count++;
        }

        public static class Jobs
        {
            public static int Twice(int x) => x * 2;
            public static int Inc(int x) => x + 1;
            public static Exception Fail(int x) => new InvalidOperationException(x.ToString());
            public static async IAsyncEnumerable<int> Count(int n) { await Task.Yield(); yield return n; }
            public static int AddLength(this string s, int extra) => s.Length + extra;
        }

        public class Submitter
        {
            public async Task M(ProcessExecutor executor)
            {
                var offset = 2;
                int Plain(int x) => x * 3;
                int Shifted(int x) => x + offset;
                await executor.RunAsync(Plain, 1);
                await executor.RunAsync(static (Counter c) => 1, new Counter());
                await executor.RunAsync({|#0:Shifted|}, 1);
                await executor.RunAsync({|#1:(Func<int, int>)Jobs.Twice + Jobs.Inc|}, 1);
                await executor.RunAsync(static (int[,] grid) => grid.Length, {|#2:new int[2, 2]|});
                await executor.RunAsync(static (Dictionary<Key, int> d) => d.Count, {|#3:new Dictionary<Key, int>()|});
                await executor.RunAsync({|#4:Jobs.Fail|}, 1);
                await executor.RunAsync({|#5:Jobs.Count|}, 1);
                Func<int, int> closed = "abcd".AddLength;
                await executor.RunAsync({|#6:closed|}, 1);
                System.Linq.Expressions.Expression<Func<int, int>> tree = x => x + 1;
                Func<int, int> compiled = tree.Compile();
                await executor.RunAsync({|#7:compiled|}, 1);
                Func<int, int> twice = Jobs.Twice;
                await executor.RunAsync(twice, 1);
                Func<int, int> either = Jobs.Twice;
                either = Jobs.Inc;
                await executor.RunAsync(either, 1);
                await executor.RunAsync(static (Animal a) => a.Name, {|#8:new Dog { Name = "d", Barks = 3 }|});
                await executor.RunAsync(static (Animal a) => a.Name, new Animal { Name = "a" });
                await executor.RunAsync(static (Shape s) => s.Sides, new Square());
                Func<int, int> combined = Jobs.Twice;
                combined += Jobs.Inc;
                await executor.RunAsync({|#9:combined|}, 1);
                await executor.RunAsync(static (double d) => double.IsNaN(d), double.NaN);
                await executor.RunAsync(static (double d) => d * 2, 1.5);
                await foreach (var n in executor.MapAsync(static (int x) => x, new[] { 1, 2 }, {|#11:0|}, CancellationToken.None)) { }
                await foreach (var n in executor.MapAsync(static (int x) => x, new[] { 1, 2 }, 8, CancellationToken.None)) { }
            }
        }

        public class Animal { public string Name { get; set; } = ""; }
        public sealed class Dog : Animal { public int Barks { get; set; } }

        [JsonDerivedType(typeof(Square), "square")]
        public class Shape { public virtual int Sides { get; set; } }
        public sealed class Square : Shape { public override int Sides { get; set; } = 4; }
        """,
        Boundary(0, "the local function 'Shifted' captures 'offset', which the worker process does not have; pass it in the argument and make the local function static"),
        Boundary(1, "the work combines delegates (a multicast delegate); a worker process runs exactly one static method"),
        Boundary(2, "the argument cannot be sent: 'int[,]' is a multi-dimensional array, which System.Text.Json cannot serialize; use a jagged array"),
        Boundary(3, "the argument cannot be sent: 'Key' cannot be a JSON property name, so a dictionary keyed by it cannot be serialized; key it by a string, a number, an enum or a Guid"),
        Boundary(4, "the result cannot come back: 'Exception' is an exception, whose state System.Text.Json does not round-trip; send its message or a record of what you need"),
        Boundary(5, "the result cannot come back: 'IAsyncEnumerable<int>' is an async stream, which cannot be serialized; collect it into a list first"),
        Boundary(6, "'AddLength' is bound to its first argument; use the static method and pass that value in the argument"),
        Boundary(7, "the work is a compiled expression tree, a method made at run time in this process that a worker process cannot find; use a static lambda or method"),
        Boundary(8, "the argument cannot be sent: it is a 'Dog' but travels as its declared type 'Animal', so what only 'Dog' has would be lost; declare the work with 'Dog' or mark 'Animal' [JsonDerivedType]"),
        Boundary(9, "the work combines delegates (a multicast delegate, 'combined += …'); a worker process runs exactly one static method"),
        Boundary(11, "a chunk of 0 items sends nothing; the chunk size must be at least 1"));

    // The runtime's stricter shape check (private state, stacks, unbound constructor parameters, awaitables that are not
    // tasks), mirrored: each of these is rejected at submit; the look-alikes beside them travel whole.
    [Fact]
    public Task PrivateStateStacksUnboundParametersAndAwaitables() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.Runtime.CompilerServices;
        using System.Text.Json.Serialization;
        using ConcurrencyAnalyzers.Runtime;

        public sealed class Temperature
        {
            private readonly double _celsius;
            public Temperature() { }
            public Temperature(double celsius) => _celsius = celsius;
            public double Fahrenheit => (_celsius * 9 / 5) + 32;
        }

        public sealed class Batch
        {
            private int _retries;
            public string Id { get; set; } = "";
            public void Retry() => _retries++;
        }

        public sealed class Seeded
        {
            public Seeded(int seed) => Value = seed * 2;
            public int Value { get; }
        }

        public sealed class Named
        {
            private string _name = "";
            public string Name { get => _name; set => _name = value; }
        }

        public sealed class Guarded
        {
            [JsonIgnore] private readonly object _gate = new();
            [JsonInclude] private int _count;
            public string Label { get; set; } = "";
        }

        public sealed record Point(int X, int Y);

        public sealed class Later
        {
            public TaskAwaiter<int> GetAwaiter() => Task.FromResult(1).GetAwaiter();
        }

        public static class Jobs
        {
            public static YieldAwaitable Yielding(int x) => Task.Yield();
            public static Later Custom(int x) => new();
        }

        public class Submitter
        {
            public async Task M(ProcessExecutor executor)
            {
                await executor.RunAsync(static (Temperature t) => t.Fahrenheit, {|#0:new Temperature(100)|});
                await executor.RunAsync(static (Batch b) => b.Id, {|#1:new Batch()|});
                await executor.RunAsync(static (Seeded s) => s.Value, {|#2:new Seeded(1)|});
                await executor.RunAsync(static (Stack<int> s) => s.Peek(), {|#3:new Stack<int>()|});
                await executor.RunAsync(static (System.Numerics.BigInteger b) => b.IsZero, {|#4:System.Numerics.BigInteger.One|});
                await executor.RunAsync({|#5:Jobs.Yielding|}, 1);
                await executor.RunAsync({|#6:Jobs.Custom|}, 1);
                await executor.RunAsync(static (Named n) => n.Name, new Named());
                await executor.RunAsync(static (Guarded g) => g.Label, new Guarded());
                await executor.RunAsync(static (Point p) => p.X, new Point(1, 2));
                await executor.RunAsync(static (Tuple<int, string> t) => t.Item1, Tuple.Create(1, "a"));
            }
        }
        """,
        Boundary(0, "the argument cannot be sent: 'Temperature' keeps state in _celsius, which System.Text.Json does not write, so it would arrive as its default; expose it, mark it [JsonInclude], or mark it [JsonIgnore] if it need not travel"),
        Boundary(1, "the argument cannot be sent: 'Batch' keeps state in _retries, which System.Text.Json does not write, so it would arrive as its default; expose it, mark it [JsonInclude], or mark it [JsonIgnore] if it need not travel"),
        Boundary(2, "the argument cannot be sent: 'Seeded''s constructor takes 'seed', which matches no member System.Text.Json writes, so the JSON cannot be read back; name the parameter after a public property or field"),
        Boundary(3, "the argument cannot be sent: 'Stack<int>' is written top first and read back pushing in that order, so it arrives reversed; send an array or a list"),
        Boundary(4, "the argument cannot be sent: 'BigInteger' keeps its state in private fields System.Text.Json does not write, so it would arrive empty; send it as a string"),
        Boundary(5, "'Yielding' returns 'YieldAwaitable': a worker process awaits async work only when it returns Task or Task<T>; return a Task (or call .AsTask())"),
        Boundary(6, "'Custom' returns 'Later': a worker process awaits async work only when it returns Task or Task<T>; return a Task (or call .AsTask())"));
}
