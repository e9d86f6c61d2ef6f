using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Runtime.Tests.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
            ["Io:MaxConcurrency"] = "5",
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
        Assert.Equal(5, provider.GetRequiredService<AsyncExecutor>().MaxConcurrency);
        var process = provider.GetRequiredService<ProcessExecutor>();
        Assert.Equal("isolated", process.Name);
        Assert.Equal(1, process.WorkerCount);
        Assert.Equal(12, await compute.RunAsync(() => 12));
    }

    [Fact]
    public async Task TheConfigureCallback_RunsAfterBinding_AndBadOptionsFailWithTheirName()
    {
        var services = new ServiceCollection().AddConcurrencyExecutors(Configuration(new() { ["Io:MaxConcurrency"] = "5" }));
        services.AddConcurrencyExecutors(o => o.Io.MaxConcurrency = 9);
        await using (var provider = services.BuildServiceProvider())
            Assert.Equal(9, provider.GetRequiredService<AsyncExecutor>().MaxConcurrency);

        await using var bad = new ServiceCollection().AddConcurrencyExecutors(o => o.Compute.WorkerCount = 0).BuildServiceProvider();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => bad.GetRequiredService<ConcurrencyExecutors>());
        Assert.Equal("WorkerCount", error.ParamName);
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
