using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.Runtime.Tests.Processes;

/// <summary>
/// ProcessExecutor with real worker processes (copies of this test host, turned into workers by the startup hook).
/// Every wait is on a signal — a worker's line on standard error, a file, a process exit — never on elapsed time.
/// </summary>
[Collection(ProcessCollection.Name)]
public class ProcessExecutorTests
{
    private static ProcessExecutor Create(LineLogger? logger = null, int workers = 1, Action<ProcessExecutorOptions>? configure = null)
    {
        var options = new ProcessExecutorOptions { Name = "test-processes", WorkerCount = workers };
        configure?.Invoke(options);
        return new ProcessExecutor(options, logger ?? new LineLogger());
    }

    private static int Tag() => Random.Shared.Next(1_000_000, int.MaxValue);

    /// <summary>The next <paramref name="count"/> jobs all succeed with the right answer.</summary>
    private static async Task AssertServes(ProcessExecutor executor, int count = 100)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => executor.RunAsync(WorkerJobs.Twice, i)));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i * 2), results);
    }

    private static bool HasExited(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process any more
        }
    }

    private static async Task WaitForExitAsync(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }

    [Fact]
    public async Task RunAsync_RunsTheWorkInAnotherProcess_WithJsonArgumentAndResult()
    {
        await using var executor = Create();
        var totals = await executor.RunAsync(WorkerJobs.Total, new Order(7, "ada", [1.5m, 2.25m, 3m]));
        Assert.Equal(7, totals.Id);
        Assert.Equal(6.75m, totals.Sum);
        Assert.NotEqual(Environment.ProcessId, totals.WorkerProcessId);
        Assert.Equal(41, await executor.RunAsync(static (int x) => x + 1, 40)); // a static lambda
        Assert.Equal(totals.WorkerProcessId, await executor.RunAsync(WorkerJobs.ProcessId, 0)); // the worker is reused
    }

    [Fact]
    public async Task WhatTheWorkPrints_GoesToTheLog_AndDoesNotCorruptTheFrames()
    {
        var logger = new LineLogger();
        await using var executor = Create(logger);
        var tag = Tag();
        Assert.Equal(tag, await executor.RunAsync(WorkerJobs.PrintAndReturn, tag));
        await logger.WaitForAsync("printed by the work " + tag);
    }

    [Fact]
    public async Task ExceptionsInTheWork_ComeBackAsWorkerException_WithRemoteTypeMessageAndStack()
    {
        await using var executor = Create();
        var error = await Assert.ThrowsAsync<WorkerException>(() => executor.RunAsync(WorkerJobs.Throw, "bad order"));
        Assert.Equal("System.InvalidOperationException", error.RemoteTypeName);
        Assert.Equal("bad order", error.Message);
        Assert.Contains(nameof(WorkerJobs.Throw), error.RemoteStackTrace);
        var inner = Assert.IsType<WorkerException>(error.InnerException);
        Assert.Equal("System.FormatException", inner.RemoteTypeName);
        Assert.Contains("remote System.InvalidOperationException", error.ToString());
        await AssertServes(executor);
    }

    [Fact]
    public async Task Closures_AndInstanceMethods_AreRejectedAtSubmit_WithTheReason()
    {
        await using var executor = Create();
        var factor = 3;
        // CONC040 reports each of these at compile time; here the runtime's own check is under test.
#pragma warning disable CONC040
        var closure = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync((int x) => x * factor, 1); });
        Assert.Contains("closure over ", closure.Message);
        Assert.Contains("factor", closure.Message);
        Assert.DoesNotContain("<>9__", closure.Message); // the closure's cached delegates are not variables
        Assert.Contains("static", closure.Message);

        var instance = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(new Func<string, bool>("abc".Contains), "b"); });
        Assert.Contains("instance method of System.String", instance.Message);

        var holder = new List<int>();
        var method = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(new Func<int, bool>(holder.Remove), 1); });
#pragma warning restore CONC040
        Assert.Contains("instance method", method.Message);
        Assert.Empty(executor.WorkerProcessIdsForTesting); // nothing was started for them
    }

    [Fact]
    public async Task ASourceGeneratedSerializerContext_IsUsedOnBothSidesOfTheBoundary()
    {
        await using (var generated = Create(configure: o => o.SerializerContext = JobJsonContext.Default))
        {
            var scaled = await generated.RunAsync(WorkerJobs.Scale, new Vector { X = 3, Y = 4 });
            Assert.Equal((6d, 8d), (scaled.X, scaled.Y)); // fields included: the worker deserialized and serialized with the context

            var unknown = Assert.Throws<ArgumentException>(() => { _ = generated.RunAsync(WorkerJobs.Twice, 1); });
            Assert.Contains("no metadata for the argument type System.Int32", unknown.Message);
        }

        await using var reflection = Create();
        var kept = await reflection.RunAsync(WorkerJobs.Scale, new Vector { X = 3, Y = 4 });
        Assert.Equal((6d, 8d), (kept.X, kept.Y)); // without a context too: the executor's own options include fields
    }

    [Fact]
    public async Task UnderAProfilingTool_WorkersStartClean_OfDiagnosticPortsSuspensionAndProfilers()
    {
        // What `dotnet-trace collect -- app` and `dotnet-counters collect -- app` give the app they launch: a diagnostic
        // port to connect back to, with the runtime suspended until a tool resumes it. A worker that inherited them
        // would wait, suspended, for a tool that never connects to it.
        var names = new[] { "DOTNET_DiagnosticPorts", "DOTNET_DefaultDiagnosticPortSuspend", "CORECLR_ENABLE_PROFILING", "CORECLR_PROFILER" };
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        Environment.SetEnvironmentVariable("DOTNET_DiagnosticPorts", Path.Combine(Path.GetTempPath(), "conc-no-such-tool-" + Guid.NewGuid().ToString("N")) + ",suspend");
        Environment.SetEnvironmentVariable("DOTNET_DefaultDiagnosticPortSuspend", "1");
        Environment.SetEnvironmentVariable("CORECLR_ENABLE_PROFILING", "1");
        Environment.SetEnvironmentVariable("CORECLR_PROFILER", "{00000000-0000-0000-0000-000000000001}");
        try
        {
            await using var executor = Create(configure: o => o.MaxStartAttempts = 1);
            var seen = await executor.RunAsync(WorkerJobs.Variables, names);
            Assert.All(seen, value => Assert.Null(value));
            await AssertServes(executor, 10);
        }
        finally
        {
            foreach (var (name, value) in saved)
                Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Fact]
    public async Task AWorkerThatNeverSaysHello_FailsWithTheLikelyCauses_NotJustTheHook()
    {
        var silent = new ConcurrencyAnalyzers.Runtime.Processes.WorkerLaunch("/bin/sleep", ["60"], usesStartupHook: false);
        await using var executor = new ProcessExecutor(
            new ProcessExecutorOptions { Name = "silent", WorkerCount = 1, StartTimeout = TimeSpan.FromSeconds(1), MaxStartAttempts = 1 },
            new LineLogger(), silent);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => executor.RunAsync(WorkerJobs.Twice, 1));
        Assert.Contains("was not ready within 1 s", error.Message);
        Assert.Contains("Likely causes: ", error.Message);
        Assert.Contains("Main does work before ProcessWorker.RunIfRequested()", error.Message);
        Assert.Contains("raise ProcessExecutorOptions.StartTimeout", error.Message);
        Assert.Contains("It wrote nothing to standard error.", error.Message);
    }

    [Fact]
    public async Task AMultiLineTrace_IsOneLogEntry_AndTheNextLineItsOwn()
    {
        var logger = new LineLogger();
        await using var executor = Create(logger);
        var tag = "traced-" + Tag();
        Assert.Equal(1, await executor.RunAsync(WorkerJobs.PrintTrace, tag));
        var trace = await logger.WaitForAsync("InvalidOperationException: " + tag);
        await logger.WaitForAsync("after the trace");
        Assert.Contains(" ---> System.FormatException: inner " + tag, trace);
        Assert.Contains("   at ", trace);
        Assert.Contains("--- End of inner exception stack trace ---", trace);
        Assert.DoesNotContain("after the trace", trace);
        // No entry is a stray frame of the trace.
        Assert.DoesNotContain(logger.Lines, line => line.Contains(": " + "   at ", StringComparison.Ordinal) && !line.Contains(tag, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlannedRecycling_IsLoggedAsInformation_NotAsAWarning()
    {
        var logger = new LineLogger();
        await using var executor = Create(logger, configure: o => o.MaxTasksPerWorker = 1);
        Assert.Equal(2, await executor.RunAsync(WorkerJobs.Twice, 1));
        Assert.Equal(4, await executor.RunAsync(WorkerJobs.Twice, 2));
        await logger.WaitForAsync("as planned");
        var recycled = logger.Entries.Where(e => e.Event.Name == "WorkerRecycled").ToArray();
        Assert.NotEmpty(recycled); // each worker is replaced after its one item
        Assert.All(recycled, e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, e.Level));
        Assert.All(recycled, e => Assert.Contains("after 1 work items", e.Message));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task AWorkerInitializer_RunsOnceInEachWorker_BeforeItsFirstItem()
    {
        await using var executor = Create(workers: 2, configure: o => o.WorkerInitializer = WorkerState.Initialize);
        var seen = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => executor.RunAsync(WorkerState.Read, 0)));
        Assert.All(seen, s => Assert.Equal(1, s.Initializations)); // once per worker, however many items it ran
        Assert.Equal(0, WorkerState.Initializations); // never in this process
        Assert.InRange(seen.Select(s => s.ProcessId).Distinct().Count(), 1, 2);
    }

    [Fact]
    public async Task AFailingWorkerInitializer_BreaksTheExecutor_WithItsException()
    {
        await using var executor = Create(configure: o => { o.WorkerInitializer = WorkerState.FailToInitialize; o.MaxStartAttempts = 2; });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => executor.RunAsync(WorkerJobs.Twice, 1));
        Assert.Contains("is broken: 2 worker starts in a row failed", error.Message);
        Assert.Contains("exited with code 73", error.Message);
        Assert.Contains("the WorkerInitializer failed", error.Message);
        Assert.Contains("libimaging.so is missing", error.Message);

        var captured = 1;
        var closure = Assert.Throws<ArgumentException>(() => new ProcessExecutor(new ProcessExecutorOptions { WorkerInitializer = () => captured++ }));
        Assert.Equal("WorkerInitializer", closure.ParamName);
        Assert.Contains("closure over ", closure.Message);
        Assert.Contains("captured", closure.Message.Split("closure over ")[1]);
    }

    [Fact]
    public async Task MapAsync_RunsChunksInWorkers_AndYieldsEveryResultInArgumentOrder()
    {
        await using var executor = Create(workers: 2);
        var results = new List<int>();
        await foreach (var result in executor.MapAsync(WorkerJobs.Twice, Enumerable.Range(0, 1001), chunkSize: 50, CancellationToken.None))
            results.Add(result);
        Assert.Equal(Enumerable.Range(0, 1001).Select(i => i * 2), results); // 21 chunks, the last one short

        var records = new List<Totals>();
        await foreach (var totals in executor.MapAsync(WorkerJobs.Total, [new Order(1, "a", [1m, 2m]), new Order(2, "b", [])], chunkSize: 7, CancellationToken.None))
            records.Add(totals);
        Assert.Equal([(1, 3m), (2, 0m)], records.Select(t => (t.Id, t.Sum)));
    }

    [Fact]
    public async Task MapAsync_FailsWithTheFirstFailingArgumentsException_AndRefusesBadInputAtOnce()
    {
        await using var executor = Create();
        var seen = new List<int>();
        var error = await Assert.ThrowsAsync<WorkerException>(async () =>
        {
            await foreach (var result in executor.MapAsync(WorkerJobs.ThrowOnSeven, Enumerable.Range(0, 30), chunkSize: 5, CancellationToken.None))
                seen.Add(result);
        });
        Assert.Contains("seven is not allowed", error.Message);
        Assert.Equal(Enumerable.Range(0, 5), seen); // the first chunk's results, then the chunk holding 7 failed

#pragma warning disable CONC040 // the runtime's own checks are under test
        Assert.Equal("chunkSize", Assert.Throws<ArgumentOutOfRangeException>(() => executor.MapAsync(WorkerJobs.Twice, [1], 0, CancellationToken.None)).ParamName);
        var factor = 2;
        Assert.Throws<ArgumentException>(() => executor.MapAsync((int x) => x * factor, [1], 1, CancellationToken.None));
#pragma warning restore CONC040
        await AssertServes(executor, 10);
    }

    [Fact]
    public async Task MapAsync_WhenReadingTheArgumentsFails_YieldsTheResultsReadBeforeIt_ThenThrows()
    {
        await using var executor = Create(workers: 2);
        var seen = new List<int>();
        var error = await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var result in executor.MapAsync(WorkerJobs.Twice, FailingSource.FailingAt(12), chunkSize: 5, CancellationToken.None))
                seen.Add(result);
        });
        Assert.Equal("argument 12 is unreadable", error.Message);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 2), seen); // two chunks of 5 and the two read of the third
    }

    [Fact]
    public async Task EveryShapeThatCanRoundTrip_ArrivesWhole_AndComesBackWhole()
    {
        await using var executor = Create();
        Assert.Equal((5, "five"), await executor.RunAsync(ShapeJobs.Tuple, (5, "five")));

        var tagged = await executor.RunAsync(ShapeJobs.Record, new Tagged("ada") { Weight = 42 });
        Assert.Equal(("ada", 42), (tagged.Name, tagged.Weight));

        var reading = await executor.RunAsync(ShapeJobs.Fields, new Reading { Sensor = "t1", Samples = [1.5, 2.5] });
        Assert.Equal("t1", reading.Sensor);
        Assert.Equal([1.5, 2.5], reading.Samples!);

        var money = await executor.RunAsync(ShapeJobs.Immutable, new Money(12.5m, "EUR"));
        Assert.Equal((12.5m, "EUR"), (money.Amount, money.Currency));
        Assert.Equal(3m, (await executor.RunAsync(ShapeJobs.Computed, new Basket([1m, 2m]))).Sum);

        Assert.Equal(new Circle(2), await executor.RunAsync(ShapeJobs.Polymorphic, (Shape)new Circle(2)));
        Assert.Equal(new Square(3), await executor.RunAsync(ShapeJobs.Polymorphic, (Shape)new Square(3)));

        var groups = new Dictionary<string, List<(int Id, Priority Priority)>> { ["a"] = [(1, Priority.High), (2, Priority.Low)] };
        var nested = await executor.RunAsync(ShapeJobs.Generics, new Nested(groups, null));
        Assert.Equal([(1, Priority.High), (2, Priority.Low)], nested.Groups["a"]);
        Assert.Null(nested.Optional);

        var dictionary = await executor.RunAsync(ShapeJobs.Dictionary, new Dictionary<Priority, int?> { [Priority.High] = 1, [Priority.Low] = null });
        Assert.Equal(1, dictionary[Priority.High]);
        Assert.Null(dictionary[Priority.Low]);

        Assert.Null(await executor.RunAsync(ShapeJobs.Null, (Tagged?)null));
        Assert.Equal(Tuple.Create(3, "three"), await executor.RunAsync(ShapeJobs.ReferenceTuple, Tuple.Create(3, "three")));

        // NaN and the infinities travel both ways (named floating-point literals).
        Assert.True(double.IsNaN(await executor.RunAsync(ShapeJobs.Half, double.NaN)));
        Assert.Equal(double.PositiveInfinity, await executor.RunAsync(ShapeJobs.Half, double.PositiveInfinity));

        // A struct built through its constructor keeps its private fields (KeyValuePair's key and value).
        Assert.Equal(new KeyValuePair<string, int>("k", 4), await executor.RunAsync(ShapeJobs.Pair, new KeyValuePair<string, int>("k", 4)));

        // A private field behind a settable property, and one marked [JsonInclude], arrive with their values.
        Assert.Equal("ada", await executor.RunAsync(ShapeJobs.Echo, new Named { Name = "ada" }));
        var tally = new Tally();
        tally.Add();
        tally.Add();
        Assert.Equal(2, await executor.RunAsync(ShapeJobs.Tallied, tally));
    }

    [Fact]
    public async Task PrivateState_Stacks_UnboundConstructors_AndNonTaskAwaitables_AreRejectedAtSubmit()
    {
        await using var executor = Create();
#pragma warning disable CONC040 // some are reported at compile time; here the runtime's own check is under test
        var temperature = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Fahrenheit, new Temperature(100)); });
        Assert.Contains("Temperature keeps state in _celsius", temperature.Message);
        Assert.Contains("[JsonInclude]", temperature.Message);

        var batch = new Batch { Id = "b" };
        batch.Retry();
        var beside = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Retries, batch); });
        Assert.Contains("Batch keeps state in _retries", beside.Message);

        var stack = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Peek, new Stack<int>([1, 2, 3])); });
        Assert.Contains("arrives reversed", stack.Message);

        var seeded = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Seed, new Seeded(2)); });
        Assert.Contains("constructor takes 'seed'", seeded.Message);

        var big = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Big, new System.Numerics.BigInteger(7000)); });
        Assert.Contains("BigInteger keeps state in _sign", big.Message);
        var lazy = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Lazily, new Lazy<int>(() => 8)); });
        Assert.Contains("keeps state in", lazy.Message);

        var token = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Cancelled, CancellationToken.None); });
        Assert.Contains("is cancellation of this process", token.Message);

        var yielding = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Yielding, 1); });
        Assert.Contains("returns YieldAwaitable", yielding.Message);
        var custom = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Custom, 1); });
        Assert.Contains("returns Later", custom.Message);
#pragma warning restore CONC040
        Assert.Empty(executor.WorkerProcessIdsForTesting); // nothing was sent for any of them
    }

    [Fact]
    public async Task ADerivedObjectInsideTheArgument_IsRejectedAtSubmit_AndADerivedResult_FailsItsJob()
    {
        await using var executor = Create();
        var nested = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Requests, new Queue { Requests = [new BaseRequest(), new DerivedRequest()] }); });
        Assert.Contains("Requests[1] is a ConcurrencyAnalyzers.Runtime.Tests.Processes.DerivedRequest but travels as its declared type", nested.Message);
        Assert.Equal(1, await executor.RunAsync(ShapeJobs.Requests, new Queue { Requests = [new BaseRequest()] }));

        var mapped = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var id in executor.MapAsync(ShapeJobs.RequestId, new[] { new BaseRequest(), new DerivedRequest() }, 5, CancellationToken.None))
            {
            }
        });
        Assert.Contains("[1] is a ConcurrencyAnalyzers.Runtime.Tests.Processes.DerivedRequest", mapped.Message);

        var result = await Assert.ThrowsAsync<WorkerException>(() => executor.RunAsync(ShapeJobs.Promote, 3));
        Assert.Contains("cannot travel back without losing data", result.Message);
        Assert.Contains("is a ConcurrencyAnalyzers.Runtime.Tests.Processes.DerivedRequest", result.Message);
        Assert.Equal(4, (await executor.RunAsync(ShapeJobs.Plain, 4)).Id);
    }

    [Fact]
    public async Task EveryShapeThatWouldLoseData_IsRejectedAtSubmit_NamingTheMember()
    {
        await using var executor = Create();
#pragma warning disable CONC040 // some are reported at compile time; here the runtime's own check is under test
        var getterOnly = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Count, new Counted(3)); });
        Assert.Contains("Counted.Count", getterOnly.Message);
        Assert.Contains("no setter and no constructor parameter", getterOnly.Message);
        Assert.Equal("argument", getterOnly.ParamName);

        var result = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.MakeCounted, 3); });
        Assert.Contains("The result of 'ConcurrencyAnalyzers.Runtime.Tests.Processes.ShapeJobs.MakeCounted'", result.Message);
        Assert.Contains("Counted.Count", result.Message);

        var hidden = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Total, new Hidden()); });
        Assert.Contains("_total", hidden.Message);

        var member = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Size, new HoldsInterface { Job = new SizedJob { Size = 2 } }); });
        Assert.Contains("HoldsInterface.Job", member.Message);
        Assert.Contains("IJob is an interface", member.Message);

        var declared = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Declared, (IJob)new SizedJob()); });
        Assert.Contains("IJob is an interface", declared.Message);

        var payload = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Payload, new HoldsObject { Payload = 1 }); });
        Assert.Contains("HoldsObject.Payload", payload.Message);
        Assert.Contains("JsonElement", payload.Message);

        var stream = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Body, new HoldsStream()); });
        Assert.Contains("HoldsStream.Body", stream.Message);
        Assert.Contains("is a stream", stream.Message);

        var derived = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.Id, (BaseRequest)new DerivedRequest { Id = 1, Extra = "x" }); });
        Assert.Contains("DerivedRequest but travels as its declared type", derived.Message);

        var valueTask = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(ShapeJobs.ValueTaskJob, 1); });
        Assert.Contains("returns ValueTask`1", valueTask.Message);
        Assert.Contains("Task<T>", valueTask.Message);
#pragma warning restore CONC040
        Assert.Empty(executor.WorkerProcessIdsForTesting); // nothing was sent for any of them
        Assert.Equal(2, await executor.RunAsync(ShapeJobs.Id, new BaseRequest { Id = 2 })); // the declared type itself is fine
    }

    [Fact]
    public async Task AsyncWork_IsAwaitedInTheWorker_AndItsResultOrExceptionComesBack()
    {
        await using var executor = Create();
        Assert.Equal(42, await executor.RunAsync(ShapeJobs.DelayedTwice, 21));

        var path = Path.Combine(Path.GetTempPath(), "conc-async-" + Guid.NewGuid().ToString("N"));
        try
        {
            await executor.RunAsync(ShapeJobs.WriteFileLater, path);
            // The task completed only after the write that follows the work's first await.
            Assert.StartsWith("written after an await by ", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }

        var error = await Assert.ThrowsAsync<WorkerException>(() => executor.RunAsync(ShapeJobs.ThrowAfterAwait, "late failure"));
        Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteTypeName);
        Assert.Contains("late failure", error.Message);
        await AssertServes(executor, 10);
    }

    [Fact]
    public async Task ANonSerializableArgument_IsRejectedAtSubmit_AndTheExecutorKeepsServing()
    {
        await using var executor = Create();
#pragma warning disable CONC040 // reported at compile time; here the runtime's own check is under test
        var error = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(static (NotSerializable _) => 1, new NotSerializable()); });
#pragma warning restore CONC040
        Assert.Contains("NotSerializable.Callback", error.Message);
        Assert.Contains("is a delegate", error.Message);
        await AssertServes(executor);
    }

    [Fact]
    public async Task AnArgumentOverTheFrameLimit_IsRejectedAtSubmit()
    {
        await using var executor = Create(configure: o => o.MaxFrameSize = 4096);
        var error = Assert.Throws<ArgumentException>(() => { _ = executor.RunAsync(static (string s) => s.Length, new string('x', 5000)); });
        Assert.Contains("4096-byte limit", error.Message);
        await AssertServes(executor, 10);
    }

    [Fact]
    public async Task FailFast_FailsOnlyItsOwnJob_WithTheExitCodeAndMessage_ThenTheNext100Succeed()
    {
        await using var executor = Create(workers: 2);
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => executor.RunAsync(WorkerJobs.FailFast, "native library corrupted its heap"));
        Assert.Contains("native library corrupted its heap", crash.StandardErrorTail);
        Assert.NotNull(crash.ExitCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(6, crash.Signal); // SIGABRT
            Assert.Contains("SIGABRT", crash.Message);
        }

        Assert.True(HasExited(crash.ProcessId));
        await AssertServes(executor);
    }

    [Fact]
    public async Task AStackOverflow_FailsOnlyItsOwnJob_ThenTheNext100Succeed()
    {
        await using var executor = Create(workers: 2);
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => executor.RunAsync(WorkerJobs.Recurse, 0));
        Assert.Contains("Stack overflow", crash.Message);
        Assert.NotNull(crash.ExitCode);
        await AssertServes(executor);
    }

    [Fact]
    public async Task Metrics_CountItemsByOutcome_AndWorkerRestartsByReason()
    {
        using var restarts = new RestartCounter("metered");
        var items = new List<(string? ErrorType, string? Kind)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "ConcurrencyAnalyzers.Runtime" && instrument.Name == "concurrency.executor.work_item.count")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? name = null, error = null, kind = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "concurrency.executor.name": name = tag.Value as string; break;
                    case "error.type": error = tag.Value as string; break;
                    case "concurrency.executor.kind": kind = tag.Value as string; break;
                }
            }

            if (name == "metered")
            {
                lock (items)
                    items.Add((error, kind));
            }
        });
        listener.Start();

        await using (var executor = new ProcessExecutor(new ProcessExecutorOptions { Name = "metered", WorkerCount = 1 }, new LineLogger()))
        {
            Assert.Equal(2, await executor.RunAsync(WorkerJobs.Twice, 1));
            await Assert.ThrowsAsync<WorkerException>(() => executor.RunAsync(WorkerJobs.Throw, "x"));
            await Assert.ThrowsAsync<WorkerCrashedException>(() => executor.RunAsync(WorkerJobs.FailFast, "metered crash"));
            Assert.Equal(4, await executor.RunAsync(WorkerJobs.Twice, 2));
        }

        lock (items)
        {
            Assert.All(items, i => Assert.Equal("process", i.Kind));
            Assert.Equal(
                new string?[] { null, typeof(WorkerException).FullName, typeof(WorkerCrashedException).FullName, null },
                items.Select(i => i.ErrorType));
        }

        Assert.Equal(1, restarts.Count("crash"));
    }

    [Fact]
    public async Task AWorkerKilledMidJob_FailsThatJobWithTheSignal_ThenTheNext100Succeed()
    {
        var logger = new LineLogger();
        await using var executor = Create(logger);
        await executor.WarmUpAsync(CancellationToken.None);
        var pid = Assert.Single(executor.WorkerProcessIdsForTesting);
        var tag = Tag();
        var job = executor.RunAsync(WorkerJobs.Hang, tag);
        await logger.WaitForAsync(WorkerJobs.StartedMarker + " " + tag);

        using (var worker = Process.GetProcessById(pid))
            worker.Kill(); // SIGKILL on Unix

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => job);
        Assert.Equal(pid, crash.ProcessId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(9, crash.Signal);
            Assert.Equal(137, crash.ExitCode);
            Assert.Contains("SIGKILL", crash.Message);
        }

        await AssertServes(executor);
        Assert.DoesNotContain(pid, executor.WorkerProcessIdsForTesting);
    }

    [Fact]
    public async Task AJobThatOverrunsItsTimeout_KillsAndReplacesItsWorker_ThenTheNext100Succeed()
    {
        await using var executor = Create(configure: o => o.JobTimeout = TimeSpan.FromMilliseconds(500));
        var pid = await executor.RunAsync(WorkerJobs.ProcessId, 0);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => executor.RunAsync(WorkerJobs.Hang, Tag()));
        Assert.Contains("500 ms timeout", error.Message);
        Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        await WaitForExitAsync(pid);
        await AssertServes(executor);
        Assert.NotEqual(pid, await executor.RunAsync(WorkerJobs.ProcessId, 0));
    }

    [Fact]
    public async Task WorkThatCorruptsTheOutputStream_IsAClearProtocolError_ThenTheNext100Succeed()
    {
        await using var executor = Create();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => executor.RunAsync(WorkerJobs.CorruptOutput, 0));
        Assert.Contains("Malformed frame", error.Message);
        Assert.Contains("frame size limit", error.Message);
        await AssertServes(executor);
    }

    [Fact]
    public async Task CancelingARunningJob_KillsItsWorker_AndCancelingAQueuedJob_EndsItAtOnce()
    {
        var logger = new LineLogger();
        await using var executor = Create(logger);
        using var running = new CancellationTokenSource();
        using var queued = new CancellationTokenSource();
        var tag = Tag();
        var first = executor.RunAsync(WorkerJobs.Hang, tag, running.Token);
        await logger.WaitForAsync(WorkerJobs.StartedMarker + " " + tag);
        var second = executor.RunAsync(WorkerJobs.Twice, 5, queued.Token);

        queued.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second); // while the first still runs
        Assert.False(first.IsCompleted);

        running.Cancel();
        var canceled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(running.Token, canceled.CancellationToken);
        await AssertServes(executor);
    }

    [Fact]
    public async Task AFullQueue_MakesSubmittersWait_UntilAWorkerTakesAnItem()
    {
        var logger = new LineLogger();
        using var gate = new FileGate();
        await using var executor = Create(logger, configure: o => o.QueueCapacity = 1);
        var blocker = executor.RunAsync(WorkerJobs.WaitForFile, gate.Path);
        await logger.WaitForAsync(WorkerJobs.StartedMarker + " " + gate.Path);
        var queued = executor.RunAsync(WorkerJobs.Twice, 1); // fills the queue
        var waiting = executor.RunAsync(WorkerJobs.Twice, 2); // waits for room
        Assert.False(queued.IsCompleted);
        Assert.False(waiting.IsCompleted);

        await gate.OpenAsync();
        await blocker;
        Assert.Equal(2, await queued);
        Assert.Equal(4, await waiting);
    }

    [Fact]
    public async Task ShutdownWithCancel_MidFlight_FailsRunningAndQueuedWork_AndLeavesNoWorker_ThenANewExecutorServes()
    {
        var logger = new LineLogger();
        var executor = Create(logger, workers: 2);
        var tag = Tag();
        var running = executor.RunAsync(WorkerJobs.Hang, tag);
        await logger.WaitForAsync(WorkerJobs.StartedMarker + " " + tag);
        var pids = executor.WorkerProcessIdsForTesting;
        var queued = Enumerable.Range(0, 5).Select(i => executor.RunAsync(WorkerJobs.Hang, i)).ToArray();

        await executor.ShutdownAsync(cancelPendingWork: true);

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Contains("shut down", error.Message);
        foreach (var task in queued)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.All(pids, pid => Assert.True(HasExited(pid)));
        Assert.Throws<ObjectDisposedException>(() => { _ = executor.RunAsync(WorkerJobs.Twice, 1); });

        await using var next = Create(workers: 2);
        await AssertServes(next);
    }

    [Fact]
    public async Task DisposeAsync_LetsRunningAndQueuedWorkFinish_ThenNoWorkerIsLeft()
    {
        var executor = Create(workers: 2);
        var jobs = Enumerable.Range(0, 20).Select(i => executor.RunAsync(WorkerJobs.Twice, i)).ToArray();
        var pids = new HashSet<int>();
        await executor.WarmUpAsync(CancellationToken.None);
        pids.UnionWith(executor.WorkerProcessIdsForTesting);
        Assert.Equal(2, pids.Count);

        await executor.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), await Task.WhenAll(jobs));
        Assert.All(pids, pid => Assert.True(HasExited(pid)));
        Assert.Empty(executor.WorkerProcessIdsForTesting);
    }

    [Fact]
    public async Task Workers_AreRecycledAfterMaxTasksPerWorker_AndTheRestartIsCounted()
    {
        using var restarts = new RestartCounter("recycler");
        await using var executor = new ProcessExecutor(new ProcessExecutorOptions { Name = "recycler", WorkerCount = 1, MaxTasksPerWorker = 2 }, new LineLogger());
        var pids = new List<int>();
        for (var i = 0; i < 6; i++)
            pids.Add(await executor.RunAsync(WorkerJobs.ProcessId, i));
        Assert.Equal(3, pids.Distinct().Count());
        Assert.Equal(pids[0], pids[1]);
        Assert.NotEqual(pids[1], pids[2]);
        Assert.True(restarts.Count("recycle") >= 2);
    }

    [Fact]
    public async Task AnIdleWorker_Exits_AndANewOneStartsOnDemand()
    {
        await using var executor = Create(configure: o => o.IdleTimeout = TimeSpan.FromMilliseconds(200));
        var first = await executor.RunAsync(WorkerJobs.ProcessId, 0);
        await WaitForExitAsync(first);
        Assert.NotEqual(first, await executor.RunAsync(WorkerJobs.ProcessId, 0));
    }

    [Fact]
    public async Task TheTraceContext_CrossesTheProcessBoundary()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ConcurrencyAnalyzers.Runtime" || source.Name == "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        await using var executor = Create();
        using var parent = source.StartActivity("request")!;
        var traceId = await executor.RunAsync(WorkerJobs.TraceId, 0);
        Assert.Equal(parent.TraceId.ToHexString(), traceId);
    }

    [Fact]
    public async Task Workers_DieWithTheirParent()
    {
        await using var executor = Create();
        var parent = await executor.RunAsync(WorkerJobs.ProcessId, 0);
        var grandchild = await executor.RunAsync(WorkerJobs.StartGrandchild, 0);
        Assert.NotEqual(parent, grandchild);
        Assert.False(HasExited(grandchild));

        using (var process = Process.GetProcessById(parent))
            process.Kill(); // the grandchild's parent dies without any chance to clean up

        await WaitForExitAsync(grandchild); // its stdin closed: it exits by itself
        Assert.True(HasExited(grandchild));
    }

    [Fact]
    public async Task Workers_DieWithTheirParent_EvenInTheMiddleOfAJob()
    {
        var logger = new LineLogger();
        await using var executor = Create(logger);
        var parent = await executor.RunAsync(WorkerJobs.ProcessId, 0);
        var tag = Tag();
        var grandchild = await executor.RunAsync(WorkerJobs.StartBusyGrandchild, tag);
        await logger.WaitForAsync(WorkerJobs.StartedMarker + " " + tag); // the grandchild's job runs (its output is forwarded twice)
        Assert.False(HasExited(grandchild));

        using (var process = Process.GetProcessById(parent))
            process.Kill();

        await WaitForExitAsync(grandchild); // nothing reads its pipe while the job runs: the watchdog ends it
        Assert.True(HasExited(grandchild));
    }

    [Fact]
    public async Task Pipelining_ServesManyTinyJobs_InOrderPerWorker_AndCancelingAnItemBehindTheRunningOneLeavesTheWorkerAlive()
    {
        var logger = new LineLogger();
        using var gate = new FileGate();
        await using var executor = Create(logger, configure: o => o.PipelineDepth = 8);
        await AssertServes(executor, 200); // tiny items: the worker is now trusted with more than one at a time

        // Submitted together while the worker is idle, so all three are handed to it at once.
        using var cts = new CancellationTokenSource();
        var blocker = executor.RunAsync(WorkerJobs.WaitForFile, gate.Path);
        var behind = executor.RunAsync(WorkerJobs.Twice, 1, cts.Token);
        var after = executor.RunAsync(WorkerJobs.Twice, 2);
        await logger.WaitForAsync(WorkerJobs.StartedMarker + " " + gate.Path);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => behind); // at once, while the blocker still runs
        Assert.False(blocker.IsCompleted);

        await gate.OpenAsync();
        var pid = await blocker;
        Assert.Equal(4, await after);
        Assert.Equal(pid, await executor.RunAsync(WorkerJobs.ProcessId, 0)); // the same worker: nothing was killed
        await AssertServes(executor, 1000);
    }

    /// <summary>
    /// At the default depth, items that take a millisecond or more go one at a time: three submitted together while both
    /// workers are idle are not queued behind the one that blocks — the other worker runs them while it still blocks.
    /// </summary>
    [Fact]
    public async Task ByDefault_LongItemsAreNotPipelined_SoNoneWaitsBehindABlockedOne()
    {
        var logger = new LineLogger();
        using var gate = new FileGate();
        await using var executor = Create(logger, workers: 2);
        Assert.Equal(8, new ProcessExecutorOptions().PipelineDepth);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => executor.RunAsync(WorkerJobs.Nap, 20)));

        var blocker = executor.RunAsync(WorkerJobs.WaitForFile, gate.Path);
        var others = new[] { executor.RunAsync(WorkerJobs.Nap, 20), executor.RunAsync(WorkerJobs.Nap, 20), executor.RunAsync(WorkerJobs.Nap, 20) };
        int[] ranOn;
        try
        {
            await logger.WaitForAsync(WorkerJobs.StartedMarker + " " + gate.Path);
            // Were one of them behind the blocker, it could not finish before the gate opens: the guard fails the test.
            ranOn = await Task.WhenAll(others).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.False(blocker.IsCompleted);
        }
        finally
        {
            await gate.OpenAsync(); // also on failure, or disposing the executor would wait for the blocker forever
        }

        var blocked = await blocker;
        Assert.All(ranOn, pid => Assert.NotEqual(blocked, pid));
    }

    [Fact]
    public void ThePipelinePolicy_HoldsAboutAMillisecondOfWork_StartingAtOneAtATime()
    {
        var tiny = Runtime.Processes.PipelinePolicy.Budget / 100; // 10 µs
        var policy = new Runtime.Processes.PipelinePolicy(maxDepth: 8);
        Assert.Equal(1, policy.Depth); // a new worker has shown nothing yet
        for (var i = 0; i < 30; i++)
            policy.Ran(tiny);
        Assert.Equal(8, policy.Depth); // tiny items: as deep as allowed

        policy.Ran(Runtime.Processes.PipelinePolicy.Budget * 20); // one 20 ms item: one at a time at once
        Assert.Equal(1, policy.Depth);
        for (var i = 0; i < 30; i++)
            policy.Ran(Runtime.Processes.PipelinePolicy.Budget / 4); // 250 µs items: about four fit the budget
        Assert.InRange(policy.Depth, 3, 4);

        var off = new Runtime.Processes.PipelinePolicy(maxDepth: 1);
        for (var i = 0; i < 30; i++)
            off.Ran(tiny);
        Assert.Equal(1, off.Depth); // 1 turns pipelining off
    }

    [Fact]
    public async Task RepeatedStartFailures_BreakTheExecutor_WithOneClearError()
    {
        var launch = new Runtime.Processes.WorkerLaunch(Path.Combine(Path.GetTempPath(), "no-such-worker-host"), [], usesStartupHook: false);
        await using var executor = new ProcessExecutor(new ProcessExecutorOptions { Name = "broken", WorkerCount = 1, MaxStartAttempts = 2 }, new LineLogger(), launch);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => executor.RunAsync(WorkerJobs.Twice, 1));
        Assert.Contains("is broken", error.Message);
        Assert.Contains("no-such-worker-host", error.Message);
        var again = Assert.Throws<InvalidOperationException>(() => { _ = executor.RunAsync(WorkerJobs.Twice, 1); });
        Assert.Equal(error.Message, again.Message);
    }

    [Fact]
    public void Options_OutOfRange_AreRejectedWithTheirName()
    {
        Assert.Equal("WorkerCount", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessExecutor(new ProcessExecutorOptions { WorkerCount = 0 })).ParamName);
        Assert.Equal("JobTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessExecutor(new ProcessExecutorOptions { JobTimeout = TimeSpan.Zero })).ParamName);
        Assert.Equal("PipelineDepth", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessExecutor(new ProcessExecutorOptions { PipelineDepth = 0 })).ParamName);
        Assert.Equal("MaxFrameSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessExecutor(new ProcessExecutorOptions { MaxFrameSize = 10 })).ParamName);
        Assert.Equal("Name", Assert.Throws<ArgumentException>(() => new ProcessExecutor(new ProcessExecutorOptions { Name = " " })).ParamName);
    }

    /// <summary>Counts concurrency.executor.worker.restarts by reason, for one executor.</summary>
    private sealed class RestartCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, int> _counts = new();

        public RestartCounter(string executor)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "ConcurrencyAnalyzers.Runtime" && instrument.Name == "concurrency.executor.worker.restarts")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? name = null, reason = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "concurrency.executor.name")
                        name = tag.Value as string;
                    if (tag.Key == "reason")
                        reason = tag.Value as string;
                }

                if (name != executor || reason is null)
                    return;
                lock (_counts)
                    _counts[reason] = _counts.GetValueOrDefault(reason) + (int)value;
            });
            _listener.Start();
        }

        public int Count(string reason)
        {
            lock (_counts)
                return _counts.GetValueOrDefault(reason);
        }

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>Process tests share two cores with the test host: they run one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "worker processes";
}
