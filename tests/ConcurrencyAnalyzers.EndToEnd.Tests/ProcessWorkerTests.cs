using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>
/// ProcessExecutor in a user's app, from the packed package: zero setup for a framework-dependent app (run through its
/// apphost and through `dotnet app.dll`), the one-line Main hook for a single-file publish, and a clear error without it.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed partial class ProcessWorkerTests(PackedPackage package)
{
    private const string Jobs = """

        static class Jobs
        {
            public static int ProcessId(int _) => Environment.ProcessId;

            public static int Square(int x) => x * x;
        }
        """;

    private const string Work = """
        Console.WriteLine("main started");
        try
        {
            await using var pool = new ProcessExecutor(new ProcessExecutorOptions { WorkerCount = 1 });
            var worker = await pool.RunAsync(Jobs.ProcessId, 0);
            var square = await pool.RunAsync(static (int x) => x * x, 9);
            Console.WriteLine($"parent {Environment.ProcessId} worker {worker} square {square} {await pool.RunAsync(Jobs.Square, 7)}");
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine("refused: " + e.Message);
            return 3;
        }

        return 0;
        """;

    private static void AssertRanInAWorker(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var match = ResultLine().Match(result.Output);
        Assert.True(match.Success, result.ToString());
        Assert.NotEqual(match.Groups["parent"].Value, match.Groups["worker"].Value);
        Assert.Equal("81", match.Groups["square"].Value);
        Assert.Equal("49", match.Groups["seven"].Value);
        Assert.Single(Regex.Matches(result.Output, "main started")); // Main never ran in the worker
    }

    [Fact]
    public async Task AFrameworkDependentApp_RunsJobsInWorkerProcesses_WithNoSetup()
    {
        var consumer = package.CreateConsumer("ProcessApp", "")
            .WithFile("Program.cs", "using ConcurrencyAnalyzers.Runtime;\n\n" + Work + Jobs);
        var build = await consumer.BuildAsync();
        Assert.True(build.ExitCode == 0, build.ToString());
        var output = Path.Combine(consumer.Directory, "bin", "Debug", "net10.0");

        AssertRanInAWorker(await ProcessRunner.RunAsync(Path.Combine(output, "ProcessApp"), "", consumer.Directory, package.Environment)); // apphost
        AssertRanInAWorker(await ProcessRunner.RunAsync("dotnet", "ProcessApp.dll", output, package.Environment)); // muxer
    }

    [Fact]
    public async Task ASingleFileApp_RunsJobsInWorkers_WithTheOneLineMainHook_AndIsRefusedClearlyWithoutIt()
    {
        const string Publish = "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>false</SelfContained><PublishSingleFile>true</PublishSingleFile>";
        if (!System.OperatingSystem.IsLinux())
            return; // the RID above; the apphost pack of this SDK is the machine's own

        var hooked = package.CreateConsumer("SingleFileHooked", Publish)
            .WithFile("Program.cs", "using ConcurrencyAnalyzers.Runtime;\n\nProcessWorker.RunIfRequested();\n" + Work + Jobs);
        var published = await PublishAsync(hooked);
        AssertRanInAWorker(await ProcessRunner.RunAsync(Path.Combine(published, "SingleFileHooked"), "", hooked.Directory, package.Environment));

        var unhooked = package.CreateConsumer("SingleFileUnhooked", Publish)
            .WithFile("Program.cs", "using ConcurrencyAnalyzers.Runtime;\n\n" + Work + Jobs);
        published = await PublishAsync(unhooked);
        var refused = await ProcessRunner.RunAsync(Path.Combine(published, "SingleFileUnhooked"), "", unhooked.Directory, package.Environment);
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("refused: ", refused.Output);
        Assert.Contains("ProcessWorker.RunIfRequested()", refused.Output);
        Assert.Single(Regex.Matches(refused.Output, "main started")); // no copy of the app was started
    }

    [Fact]
    public async Task ATrimmedApp_WithASerializerContext_RunsJobsInWorkers_AndTheRuntimeGivesNoTrimWarnings()
    {
        const string Publish = "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>true</SelfContained><PublishTrimmed>true</PublishTrimmed>";
        if (!System.OperatingSystem.IsLinux())
            return; // the RID above

        // Trimmed apps have startup hooks off and reflection-based System.Text.Json off: the Main hook and a
        // source-generated context are what the docs ask for, and all this test gives.
        var trimmed = package.CreateConsumer("TrimmedApp", Publish)
            .WithFile("Program.cs", """
                using System.Text.Json.Serialization;
                using ConcurrencyAnalyzers.Runtime;

                ProcessWorker.RunIfRequested();
                Console.WriteLine("main started");
                await using var pool = new ProcessExecutor(new ProcessExecutorOptions { WorkerCount = 1, SerializerContext = TrimmedJson.Default });
                var area = await pool.RunAsync(Jobs.Area, new Rect(3, 4));
                var total = await pool.RunAsync(Jobs.TotalAsync, new[] { 1, 2, 3 });
                var worker = await pool.RunAsync(Jobs.ProcessId, 0);
                Console.WriteLine($"area {area.Value} total {total} parent {Environment.ProcessId} worker {worker}");
                await using var reflection = new ProcessExecutor(new ProcessExecutorOptions { WorkerCount = 1 });
                try
                {
                    await reflection.RunAsync(Jobs.ProcessId, 0);
                }
                catch (InvalidOperationException e)
                {
                    Console.WriteLine("without a context: " + e.Message);
                }

                return 0;

                public sealed record Rect(double Width, double Height);
                public sealed record Area(double Value);

                [JsonSerializable(typeof(Rect))]
                [JsonSerializable(typeof(Area))]
                [JsonSerializable(typeof(int[]))]
                [JsonSerializable(typeof(int))]
                public sealed partial class TrimmedJson : JsonSerializerContext
                {
                }

                static class Jobs
                {
                    public static Area Area(Rect r) => new(r.Width * r.Height);

                    public static async Task<int> TotalAsync(int[] values)
                    {
                        await Task.Yield();
                        return values.Sum();
                    }

                    public static int ProcessId(int _) => Environment.ProcessId;
                }
                """);
        var output = Path.Combine(trimmed.Directory, "publish");
        var publish = await ProcessRunner.RunAsync("dotnet", $"publish \"{trimmed.ProjectPath}\" -c Release -o \"{output}\"", trimmed.Directory, package.Environment);
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.DoesNotMatch(@"warning IL\d+:[^\n]*ConcurrencyAnalyzers\.Runtime", publish.Output); // no trim warnings from the package

        var run = await ProcessRunner.RunAsync(Path.Combine(output, "TrimmedApp"), "", trimmed.Directory, package.Environment);
        Assert.True(run.ExitCode == 0, run.ToString());
        var match = Regex.Match(run.Output, @"area (?<area>[\d.]+) total (?<total>\d+) parent (?<parent>\d+) worker (?<worker>\d+)");
        Assert.True(match.Success, run.ToString());
        Assert.Equal("12", match.Groups["area"].Value);
        Assert.Equal("6", match.Groups["total"].Value);
        Assert.NotEqual(match.Groups["parent"].Value, match.Groups["worker"].Value);
        Assert.Contains("without a context: This app disables reflection-based System.Text.Json", run.Output);
        Assert.Single(Regex.Matches(run.Output, "main started"));
    }

    private async Task<string> PublishAsync(Consumer consumer)
    {
        var output = Path.Combine(consumer.Directory, "publish");
        var result = await ProcessRunner.RunAsync("dotnet", $"publish \"{consumer.ProjectPath}\" -c Release -o \"{output}\"", consumer.Directory, package.Environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(Path.Combine(output, "ConcurrencyAnalyzers.Runtime.dll")), "a single-file publish bundles the runtime library");
        return output;
    }

    [GeneratedRegex(@"parent (?<parent>\d+) worker (?<worker>\d+) square (?<square>\d+) (?<seven>\d+)")]
    private static partial Regex ResultLine();
}
