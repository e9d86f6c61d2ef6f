using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime.Tests.Processes;

// Shapes an argument or result may have. Each one that can make the round trip has an echo job: the worker reads it
// and sends it back, so what the test gets back is what crossed the boundary twice.

public enum Priority
{
    Low,
    High = 7,
}

/// <summary>A record with a positional member and a public field.</summary>
public sealed record Tagged(string Name)
{
    public int Weight;
}

/// <summary>Fields only, in a class.</summary>
public sealed class Reading
{
    public string? Sensor;
    public double[]? Samples;
}

/// <summary>Immutable: getter-only properties matched to constructor parameters.</summary>
public sealed class Money
{
    public Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }

    public string Currency { get; }
}

/// <summary>A computed property: serialized, ignored when read, computed again — nothing is lost.</summary>
public sealed record Basket(decimal[] Lines)
{
    public decimal Sum => Lines.Sum();
}

[JsonDerivedType(typeof(Circle), "circle")]
[JsonDerivedType(typeof(Square), "square")]
public abstract record Shape;

public sealed record Circle(double Radius) : Shape;

public sealed record Square(double Side) : Shape;

public sealed record Nested(Dictionary<string, List<(int Id, Priority Priority)>> Groups, Tagged? Optional);

// Shapes that cannot: each is rejected at submit, with the member named.

/// <summary>A getter-only property no constructor sets: it would arrive as 0.</summary>
public sealed class Counted
{
    public Counted()
    {
    }

    public Counted(int count) => Count = count;

    public int Count { get; }
}

/// <summary>State only in private fields, which System.Text.Json never sees.</summary>
public sealed class Hidden
{
    private int _total;

    public void Add(int value) => _total += value;

    public int Total() => _total;
}

public interface IJob
{
    int Size { get; }
}

public sealed class SizedJob : IJob
{
    public int Size { get; set; }
}

public sealed class HoldsInterface
{
    public IJob? Job { get; set; }
}

public sealed class HoldsObject
{
    public object? Payload { get; set; }
}

public sealed class HoldsStream
{
    public Stream? Body { get; set; }
}

/// <summary>An unsealed class whose derived type adds a member.</summary>
public class BaseRequest
{
    public int Id { get; set; }
}

public sealed class DerivedRequest : BaseRequest
{
    public string Extra { get; set; } = "";
}

/// <summary>A private field behind a settable property: reading the JSON sets it again.</summary>
public sealed class Named
{
    private string _name = "";

    public string Name
    {
        get => _name;
        set => _name = value;
    }
}

/// <summary>A private field marked to travel.</summary>
public sealed class Tally
{
    [JsonInclude]
    private int _count;

    public void Add() => _count++;

    public int Count() => _count;
}

/// <summary>Private state behind a computed property: the JSON carries Fahrenheit, which nothing can set again.</summary>
public sealed class Temperature
{
    private readonly double _celsius;

    public Temperature()
    {
    }

    public Temperature(double celsius) => _celsius = celsius;

    public double Fahrenheit => (_celsius * 9 / 5) + 32;
}

/// <summary>A public property and, beside it, a private field the JSON does not carry.</summary>
public sealed class Batch
{
    private int _retries;

    public string Id { get; set; } = "";

    public void Retry() => _retries++;

    public int Retries() => _retries;
}

/// <summary>A constructor parameter that matches no member: the JSON cannot be read back.</summary>
public sealed class Seeded
{
    public Seeded(int seed) => Value = seed * 2;

    public int Value { get; }
}

/// <summary>An awaitable that is not a task: a worker would send it back as an empty object.</summary>
public sealed class Later
{
    public TaskAwaiter<int> GetAwaiter() => Task.FromResult(1).GetAwaiter();
}

/// <summary>A member typed as an unsealed class: a derived object in it would travel as the base.</summary>
public sealed class Queue
{
    public List<BaseRequest> Requests { get; set; } = [];
}

public static class ShapeJobs
{
    public static int Requests(Queue value) => value.Requests.Count;

    public static int RequestId(BaseRequest value) => value.Id;

    public static BaseRequest Promote(int id) => new DerivedRequest { Id = id, Extra = "promoted" };

    public static BaseRequest Plain(int id) => new() { Id = id };

    public static double Half(double value) => value / 2;

    public static KeyValuePair<string, int> Pair(KeyValuePair<string, int> value) => value;

    public static string Echo(Named value) => value.Name;

    public static int Tallied(Tally value) => value.Count();

    public static double Fahrenheit(Temperature value) => value.Fahrenheit;

    public static int Retries(Batch value) => value.Retries();

    public static int Peek(Stack<int> value) => value.Peek();

    public static int Seed(Seeded value) => value.Value;

    public static string Big(System.Numerics.BigInteger value) => value.ToString();

    public static int Lazily(Lazy<int> value) => value.Value;

    public static bool Cancelled(CancellationToken value) => value.IsCancellationRequested;

    public static YieldAwaitable Yielding(int value) => Task.Yield();

    public static Later Custom(int value) => new();

    public static (int N, string S) Tuple((int N, string S) value) => value;

    public static Tagged Record(Tagged value) => value;

    public static Reading Fields(Reading value) => value;

    public static Money Immutable(Money value) => value;

    public static Basket Computed(Basket value) => value;

    public static Shape Polymorphic(Shape value) => value;

    public static Nested Generics(Nested value) => value;

    public static Dictionary<Priority, int?> Dictionary(Dictionary<Priority, int?> value) => value;

    public static Tagged? Null(Tagged? value) => value;

    public static Tuple<int, string> ReferenceTuple(Tuple<int, string> value) => value;

    public static int Count(Counted value) => value.Count;

    public static int Total(Hidden value) => value.Total();

    public static Counted MakeCounted(int count) => new(count);

    public static int Size(HoldsInterface value) => value.Job?.Size ?? -1;

    public static int Declared(IJob job) => job.Size;

    public static int Payload(HoldsObject value) => value.Payload is null ? 0 : 1;

    public static int Body(HoldsStream value) => value.Body is null ? 0 : 1;

    public static int Id(BaseRequest value) => value.Id;

    public static ValueTask<int> ValueTaskJob(int value) => new(value);

    public static async Task<int> DelayedTwice(int value)
    {
        await Task.Yield();
        return value * 2;
    }

    public static async Task WriteFileLater(string path)
    {
        await Task.Yield();
        await File.WriteAllTextAsync(path, "written after an await by " + Environment.ProcessId);
    }

    public static async Task<int> ThrowAfterAwait(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }
}
