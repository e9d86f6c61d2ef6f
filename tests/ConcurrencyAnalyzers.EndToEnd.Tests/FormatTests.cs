using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>`dotnet format analyzers` enforcement and one-click fixes at scale (Fix All), with the packed package.</summary>
[Collection(PackedPackageCollection.Name)]
public sealed class FormatTests(PackedPackage package)
{
    private const string Diagnostics = "--diagnostics CONC001 CONC002 CONC003 CONC004 CONC005 CONC010 CONC011 CONC020 CONC021 CONC022 CONC023 CONC030 CONC031 CONC032 --severity warn";

    [Fact]
    public async Task VerifyFails_ApplyFixes_RebuildIsClean_AndTheFixedCodeRunsOnTheRuntimeLibrary()
    {
        var consumer = package.CreateConsumer("Format")
            .WithFile(ConsumerSources.ServiceFile, ConsumerSources.Service)
            .WithFile(ConsumerSources.ProgramFile, ConsumerSources.Program);
        var restore = await consumer.RestoreAsync();
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var verify = await consumer.FormatAsync("--verify-no-changes " + Diagnostics);
        Assert.True(verify.ExitCode != 0, "verify-no-changes should fail: " + verify);
        Assert.Contains("CONC001", verify.Output);
        Assert.Equal(ConsumerSources.Service, consumer.Read(ConsumerSources.ServiceFile));

        var apply = await consumer.FormatAsync(Diagnostics);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var fixedService = consumer.Read(ConsumerSources.ServiceFile);
        Assert.Contains("var value = await pending;", fixedService);
        Assert.Contains("await Task.Delay(10, cancellationToken);", fixedService);
        Assert.Contains("var text = await File.ReadAllTextAsync(path, cancellationToken);", fixedService);
        Assert.Contains("await _gate.WaitAsync(cancellationToken);", fixedService);
        Assert.Contains("await _ready.WaitOneAsync(cancellationToken);", fixedService);
        Assert.Contains("var settings = await ThreadExecutor.Blocking.RunAsync(() => LoadSettings(path), cancellationToken);", fixedService);
        Assert.Contains("var copy = await File.ReadAllTextAsync(path, cancellationToken);", fixedService);
        Assert.Contains("await ThreadExecutor.Blocking.RunAsync(() =>", fixedService);
        Assert.Contains("await Parallel.ForEachAsync(new[] { path }, cancellationToken, async (p, ct) =>", fixedService);
        Assert.Contains("var bytes = await File.ReadAllBytesAsync(p, ct);", fixedService);
        Assert.Contains("await ThreadExecutor.Compute.RunAsync(() =>", fixedService);
        Assert.Contains("var key = await ThreadExecutor.Compute.RunAsync(() => System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(", fixedService);
        Assert.Contains("using ConcurrencyAnalyzers.Runtime;", fixedService);
        Assert.Contains("var worker = ThreadExecutor.Compute.RunAsync(() => { for (var n = 0; n < 1000; n++) squares += n * n; });", fixedService);
        Assert.Contains("worker.Wait();", fixedService);
        Assert.Contains("var poller = Task.Run(async () =>", fixedService);
        Assert.Contains("await Task.Delay(50, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);", fixedService);
        Assert.DoesNotContain("new Thread", fixedService);
        Assert.Contains("public async Task Refresh() => await Task.Delay(1);", fixedService);
        Assert.Contains("private async void OnChanged(object? sender, EventArgs e)", fixedService); // an event handler stays
        Assert.Contains("foreach (var name in names)", fixedService);
        Assert.Contains("await Task.Run(async () => await Task.Delay(1));", fixedService);
        Assert.DoesNotContain("await Task.Factory.StartNew(async () => await Task.Delay(1));", fixedService);
        Assert.Contains("public int Sync(Task<int> pending) => pending.Result;", fixedService); // sync code untouched

        var verifyAgain = await consumer.FormatAsync("--verify-no-changes " + Diagnostics);
        Assert.True(verifyAgain.ExitCode == 0, verifyAgain.ToString());

        var rebuild = await consumer.BuildAsync();
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.Empty(Consumer.Diagnostics(rebuild));

        var run = await consumer.RunAsync();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("result=6", run.Output); // 1 + "hello".Length, through WaitOneAsync from the runtime library
        Assert.Contains("squares=332833500", run.Output); // the compute thread's value, now from the compute executor
    }

    [Fact]
    public async Task FixAllOverTheSample_CompilesAndLeavesNothingToReport()
    {
        var consumer = package.CreateConsumer("SampleFixAll");
        var sample = Path.Combine(package.Root, "samples", "OrderService");
        foreach (var file in Directory.GetFiles(sample, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
            consumer.WithFile(Path.GetRelativePath(sample, file), await File.ReadAllTextAsync(file));

        var before = await consumer.BuildAsync();
        Assert.True(before.ExitCode == 0, before.ToString());
        var found = Consumer.Diagnostics(before);
        Assert.Equal(new[] { "CONC001", "CONC002", "CONC003", "CONC004", "CONC005", "CONC010", "CONC011", "CONC020", "CONC021", "CONC022", "CONC023", "CONC030", "CONC031", "CONC032" }, found.Select(d => d.Id).Distinct().OrderBy(x => x));

        var apply = await consumer.FormatAsync(Diagnostics);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var after = await consumer.BuildAsync();
        Assert.True(after.ExitCode == 0, "the fixed sample must compile: " + after);
        Assert.Empty(Consumer.Diagnostics(after));
        Assert.DoesNotContain(" error ", after.Output);
    }
}
