using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace ConcurrencyAnalyzers.Runtime.Benchmarks;

/// <summary>
/// A tiny job's warm round trip through <see cref="ProcessExecutor"/> (one worker), against the floor: the same number
/// of bytes written to and read back from a raw pipe echo in another process (<c>cat</c>), with the same async streams.
/// Per-operation p50/p99 are printed to the log at cleanup.
/// </summary>
public class ProcessRoundTrip
{
    private const int FrameBytes = 96; // about the size of a tiny job's request frame
    private readonly List<double> _microseconds = new();
    private readonly byte[] _frame = new byte[FrameBytes];
    private readonly byte[] _echo = new byte[FrameBytes];
    private ProcessExecutor? _executor;
    private Process? _cat;
    private Stream? _toCat;
    private Stream? _fromCat;

    public static int Twice(int value) => value * 2;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _executor = new ProcessExecutor(new ProcessExecutorOptions { Name = "bench", WorkerCount = 1 });
        await _executor.WarmUpAsync(CancellationToken.None);
        var start = new ProcessStartInfo("cat") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        _cat = Process.Start(start)!;
        _toCat = _cat.StandardInput.BaseStream;
        _fromCat = _cat.StandardOutput.BaseStream;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _executor!.DisposeAsync();
        _toCat!.Dispose();
        await _cat!.WaitForExitAsync();
        if (_microseconds.Count == 0)
            return;
        _microseconds.Sort();
        Console.WriteLine($"// round trip p50 {Percentile(0.50):F1} us, p99 {Percentile(0.99):F1} us over {_microseconds.Count} operations");
    }

    [Benchmark(Baseline = true, Description = "raw pipe echo (floor)")]
    public async Task PipeEcho()
    {
        var start = Stopwatch.GetTimestamp();
        await _toCat!.WriteAsync(_frame);
        await _toCat.FlushAsync();
        await _fromCat!.ReadExactlyAsync(_echo);
        _microseconds.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    [Benchmark(Description = "ProcessExecutor.RunAsync")]
    public async Task<int> ExecutorRoundTrip()
    {
        var start = Stopwatch.GetTimestamp();
        var result = await _executor!.RunAsync(Twice, 21);
        _microseconds.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        return result;
    }

    private double Percentile(double p) => _microseconds[Math.Min(_microseconds.Count - 1, (int)(p * _microseconds.Count))];
}
