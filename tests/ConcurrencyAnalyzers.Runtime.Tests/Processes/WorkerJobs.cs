using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json.Serialization;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime.Tests.Processes;

public sealed record Order(int Id, string Customer, decimal[] Lines);

public sealed record Totals(int Id, decimal Sum, int WorkerProcessId);

/// <summary>Public fields: reflection-based System.Text.Json ignores them by default; <see cref="JobJsonContext"/> includes them.</summary>
public struct Vector
{
    public double X;
    public double Y;
}

[JsonSourceGenerationOptions(IncludeFields = true)]
[JsonSerializable(typeof(Vector))]
public sealed partial class JobJsonContext : JsonSerializerContext
{
}

public sealed class NotSerializable
{
    public Action Callback { get; set; } = () => { };
}

/// <summary>Static state a worker initializer sets up, which every item on that worker then sees.</summary>
public static class WorkerState
{
    public static int Initializations;

    public static void Initialize() => Initializations++;

    public static void FailToInitialize() => throw new DllNotFoundException("libimaging.so is missing");

    /// <summary>How many times this worker process was initialized, and its id.</summary>
    public static (int Initializations, int ProcessId) Read(int _) => (Initializations, Environment.ProcessId);
}

/// <summary>The work the tests send to worker processes: static methods only, as the executor requires.</summary>
public static class WorkerJobs
{
    public const string StartedMarker = "job-started";

    public static Totals Total(Order order)
    {
        decimal sum = 0;
        foreach (var line in order.Lines)
            sum += line;
        return new Totals(order.Id, sum, Environment.ProcessId);
    }

    public static int ProcessId(int _) => Environment.ProcessId;

    /// <summary>Writes a caught exception's full text (message, inner exception, stack frames) to standard error.</summary>
    public static int PrintTrace(string message)
    {
        try
        {
            ThrowNested(message);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e.ToString());
        }

        Console.Error.WriteLine("after the trace");
        return 1;
    }

    private static void ThrowNested(string message)
    {
        try
        {
            throw new FormatException("inner " + message);
        }
        catch (FormatException inner)
        {
            throw new InvalidOperationException(message, inner);
        }
    }

    /// <summary>The worker's own values of the named environment variables.</summary>
    public static string?[] Variables(string[] names) => Array.ConvertAll(names, Environment.GetEnvironmentVariable);

    public static Vector Scale(Vector v) => new() { X = v.X * 2, Y = v.Y * 2 };

    public static int Twice(int value) => value * 2;

    public static int ThrowOnSeven(int value) => value == 7 ? throw new ArgumentException("seven is not allowed") : value;

    public static int Throw(string message) => throw new InvalidOperationException(message, new FormatException("inner cause"));

    public static int FailFast(string message)
    {
        Environment.FailFast(message);
        return 0;
    }

    public static int Recurse(int depth) => depth < 0 ? 0 : Recurse(depth + 1) + 1; // never ends: a stack overflow

    /// <summary>Announces itself on standard error (which the parent reads), then never returns.</summary>
    public static int Hang(int tag)
    {
        Console.Error.WriteLine(StartedMarker + " " + tag);
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>Takes at least <paramref name="milliseconds"/>: an item far over the pipeline's 1 ms budget.</summary>
    public static int Nap(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return Environment.ProcessId;
    }

    /// <summary>Announces itself, then waits for a file to appear (a cross-process gate).</summary>
    public static int WaitForFile(string path)
    {
        Console.Error.WriteLine(StartedMarker + " " + path);
        while (!File.Exists(path))
            Thread.Sleep(5);
        return Environment.ProcessId;
    }

    /// <summary>Writes bytes that are not a frame to the raw standard output, past Console.Out.</summary>
    public static int CorruptOutput(int _)
    {
        using var raw = Console.OpenStandardOutput();
        raw.Write([0xFF, 0xFF, 0xFF, 0x7F, 0x09]);
        raw.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    public static int PrintAndReturn(int value)
    {
        Console.WriteLine("printed by the work " + value); // must not corrupt the frames
        return value;
    }

    /// <summary>Kills its own worker (SIGKILL) when asked to, else returns a checkable function of its input.</summary>
    public static long CrashOrCompute(long value)
    {
        if (value % 100 == 37)
            Process.GetCurrentProcess().Kill();
        return (value * 7) + 3;
    }

    public static string? TraceId(int _) => Activity.Current?.TraceId.ToHexString();

    /// <summary>In a worker: starts a nested executor (a worker of the worker) and returns the nested worker's pid.</summary>
    public static int StartGrandchild(int _)
    {
        Nested = new ProcessExecutor(new ProcessExecutorOptions { Name = "nested", WorkerCount = 1 });
        return Nested.RunAsync(ProcessId, 0).GetAwaiter().GetResult();
    }

    /// <summary>In a worker: starts a nested executor whose worker is busy (hanging) and returns that worker's pid.</summary>
    public static int StartBusyGrandchild(int tag)
    {
        Nested = new ProcessExecutor(new ProcessExecutorOptions { Name = "nested", WorkerCount = 1 });
        Nested.WarmUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        _ = Nested.RunAsync(Hang, tag);
        return Nested.WorkerProcessIdsForTesting[0];
    }

    private static ProcessExecutor? Nested { get; set; }
}
