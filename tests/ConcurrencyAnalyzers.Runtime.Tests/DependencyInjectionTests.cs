using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Runtime.Tests.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace ConcurrencyAnalyzers.Runtime.Tests;

[Collection(ProcessCollection.Name)]
public class DependencyInjectionTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public async Task Options_AreBoundFromConfiguration_AndEveryExecutorIsResolvable()
    {
        var services = new ServiceCollection().AddConcurrencyExecutors(Configuration(new()
        {
            ["Compute:Name"] = "cpu",
            ["Compute:WorkerCount"] = "3",
            ["Blocking:QueueCapacity"] = "7",
            ["Io:WorkerCount"] = "5",
            ["Io:ItemTimeout"] = "00:00:02",
            ["Process:WorkerCount"] = "1",
            ["Process:JobTimeout"] = "00:00:09",
            ["Process:Name"] = "isolated",
        }));
        await using var provider = services.BuildServiceProvider();

        var executors = provider.GetRequiredService<ConcurrencyExecutors>();
        var compute = provider.GetRequiredKeyedService<ThreadExecutor>(ConcurrencyExecutors.ComputeKey);
        Assert.Same(executors.Compute, compute);
        Assert.Equal("cpu", compute.Name);
        Assert.Equal(3, compute.WorkerCount);
        Assert.Equal(7, provider.GetRequiredKeyedService<ThreadExecutor>(ConcurrencyExecutors.BlockingKey).QueueCapacity);
        Assert.Equal(5, provider.GetRequiredService<AsyncExecutor>().WorkerCount);
        var process = provider.GetRequiredService<ProcessExecutor>();
        Assert.Equal("isolated", process.Name);
        Assert.Equal(1, process.WorkerCount);
        Assert.Equal(12, await compute.RunAsync(() => 12));
    }

    [Fact]
    public async Task TheConfigureCallback_RunsAfterBinding_AndBadOptionsFailWithTheirName()
    {
        var services = new ServiceCollection().AddConcurrencyExecutors(Configuration(new() { ["Io:WorkerCount"] = "5" }));
        services.AddConcurrencyExecutors(o => o.Io.WorkerCount = 9);
        await using (var provider = services.BuildServiceProvider())
            Assert.Equal(9, provider.GetRequiredService<AsyncExecutor>().WorkerCount);

        await using var bad = new ServiceCollection().AddConcurrencyExecutors(o => o.Compute.WorkerCount = 0).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<ConcurrencyExecutors>());
        Assert.Equal(["ConcurrencyExecutors:Compute: WorkerCount must be at least 1."], error.Failures);
    }

    [Fact]
    public async Task EveryBadOption_IsReportedWhenTheHostStarts_EachWithItsExecutorsName()
    {
        var services = new ServiceCollection().AddConcurrencyExecutors(o =>
        {
            o.Io.WorkerCount = 0;
            o.Process.PipelineDepth = 0;
        });
        await using var provider = services.BuildServiceProvider();
        // What the generic host runs before it starts anything (ValidateOnStart).
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(
            ["ConcurrencyExecutors:Io: WorkerCount must be at least 1.", "ConcurrencyExecutors:Process: PipelineDepth must be between 1 and 256."],
            error.Failures);
    }

    [Fact]
    public void AMisspelledConfigurationKey_IsAnError_NamingTheKey()
    {
        var services = new ServiceCollection().AddConcurrencyExecutors(Configuration(new() { ["Io:MaxConcurency"] = "5" }));
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<AsyncExecutor>());
        Assert.Contains("MaxConcurency", error.Message);
    }

    [Fact]
    public async Task AContainerDisposedSynchronously_StopsTheExecutorsItResolved_WithoutThrowing()
    {
        var (compute, io) = ResolveThenDisposeTheContainerSynchronously();
        Assert.Throws<ObjectDisposedException>(() => { _ = compute.RunAsync(() => 2); });
        await Assert.ThrowsAsync<ObjectDisposedException>(() => io.RunAsync(_ => Task.FromResult(3), System.Threading.CancellationToken.None));
    }

    /// <summary>What a host that disposes its container synchronously does (IAsyncDisposable-only services make it throw).</summary>
    private static (ThreadExecutor Compute, AsyncExecutor Io) ResolveThenDisposeTheContainerSynchronously()
    {
        using var provider = new ServiceCollection().AddConcurrencyExecutors(configure: null).BuildServiceProvider();
        return (provider.GetRequiredKeyedService<ThreadExecutor>(ConcurrencyExecutors.ComputeKey), provider.GetRequiredService<AsyncExecutor>());
    }

    private static void DisposeSynchronously(IDisposable disposable) => disposable.Dispose();

    [Fact]
    public async Task TheSharedInstances_CannotBeDisposedByUserCode()
    {
        await ThreadExecutor.Compute.DisposeAsync();
        DisposeSynchronously(ThreadExecutor.Blocking);
        await ProcessExecutor.Shared.DisposeAsync();
        Assert.Equal(4, await ThreadExecutor.Compute.RunAsync(() => 4)); // still serving everybody after the dispose
        Assert.Equal(5, await ThreadExecutor.Blocking.RunAsync(() => 5));
        var error = Assert.Throws<InvalidOperationException>(() => { _ = ThreadExecutor.Compute.ShutdownAsync(cancelPendingWork: true); });
        Assert.Contains("ThreadExecutor.Compute is shared by the whole process", error.Message);
        Assert.Throws<InvalidOperationException>(() => { _ = ProcessExecutor.Shared.ShutdownAsync(cancelPendingWork: false); });
    }

    [Fact]
    public async Task TheProcessExecutor_LogsThroughTheContainersLogger_AndTheContainerStopsItsWorkers()
    {
        var logger = new LineLogger();
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(new SingleLoggerFactory(logger))
            .AddConcurrencyExecutors(o => o.Process.WorkerCount = 1);
        int worker;
        await using (var provider = services.BuildServiceProvider())
        {
            var process = provider.GetRequiredService<ProcessExecutor>();
            worker = await process.RunAsync(WorkerJobs.ProcessId, 0);
            Assert.Equal(7, await process.RunAsync(WorkerJobs.PrintAndReturn, 7));
            await logger.WaitForAsync("printed by the work 7");
            Assert.Contains(logger.Lines, l => l.Contains($"worker process {worker} is ready", StringComparison.Ordinal));
        }

        // Disposing the container disposed the executor: its worker has exited.
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(worker));
    }

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
