using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Runtime.Diagnostics;
using ConcurrencyAnalyzers.Runtime.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// Runs work in a warm pool of worker processes — for work that needs isolation: crash-prone or non-thread-safe native
/// code, memory-hungry jobs whose heap should die with them, work that needs a hard timeout. Work is a static method
/// (or a <c>static</c> lambda) and an argument that System.Text.Json can serialize; the result comes back the same way.
/// </summary>
/// <remarks>
/// <para>Workers are copies of this app (its own host, runtimeconfig and dependencies), started on demand or by
/// <see cref="WarmUpAsync"/>, reused, replaced after <see cref="ProcessExecutorOptions.MaxTasksPerWorker"/> items, and
/// stopped when idle. They speak length-prefixed frames on their redirected standard input and output.</para>
/// <para>A worker that dies fails only the item it was running, with <see cref="WorkerCrashedException"/>; one that
/// overruns <see cref="ProcessExecutorOptions.JobTimeout"/> is killed (<see cref="TimeoutException"/>); canceling a
/// running item kills its worker. Each is replaced and the executor keeps serving. An exception thrown by the work comes
/// back as <see cref="WorkerException"/>. Workers exit when this process exits or dies.</para>
/// </remarks>
public sealed class ProcessExecutor : IAsyncDisposable, IDisposable
{
    private const string Kind = "process";

    private static readonly Lazy<ProcessExecutor> SharedDefault = new(() => new ProcessExecutor(null) { _shared = true });

    // Set on the process-wide instance: disposing it is a no-op, shutting it down an error.
    private bool _shared;

    private readonly ProcessExecutorOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<WorkerLaunch> _launch;
    private readonly Channel<ProcessJob> _queue;
    private readonly Slot[] _slots;
    private readonly Task[] _loops;
    private readonly Action<int, string> _onErrorLine;
    private readonly string? _initializer;
    private readonly TagList _tags;
    private readonly ExecutorGauges _gauges;
    private long _nextId;
    private int _stopping;
    private volatile bool _cancelPending;
    private int _failedStartsInARow;
    private Exception? _broken;
    private Task? _stopped;

    /// <summary>Creates an executor; its workers start on first use (or on <see cref="WarmUpAsync"/>).</summary>
    /// <param name="options">Pool size, queue, recycling and timeouts; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ProcessExecutor(ProcessExecutorOptions? options)
        : this(options, null)
    {
    }

    /// <summary>Creates an executor that logs worker starts, replacements and output.</summary>
    /// <param name="options">Pool size, queue, recycling and timeouts; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives worker lifecycle events and what workers write to standard error;
    /// <see langword="null"/> to copy worker output to this process's standard error.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ProcessExecutor(ProcessExecutorOptions? options, ILogger? logger)
        : this(options, logger, null)
    {
    }

    internal ProcessExecutor(ProcessExecutorOptions? options, ILogger? logger, WorkerLaunch? launch)
    {
        options ??= new ProcessExecutorOptions();
        options.Validate();
        _options = options.Clone();
        Name = _options.Name;
        WorkerCount = _options.WorkerCount;
        _logger = logger ?? NullLogger.Instance;
        _launch = launch is null ? new Lazy<WorkerLaunch>(WorkerLaunch.ForThisApp) : new Lazy<WorkerLaunch>(launch);
        _onErrorLine = logger is null
            ? (pid, line) => Console.Error.WriteLine($"[{Name} worker {pid}] {line}")
            : (pid, line) => _logger.WorkerOutput(Name, pid, line);
        _initializer = _options.WorkerInitializer is { } initializer ? WorkMethod.From(initializer, parameterCount: 0).ToIdentity() : null;
        _tags = ExecutorTelemetry.Tags(Kind, Name);
        _gauges = new ExecutorGauges(_tags, hasIdleWorkers: true);
        _queue = Channel.CreateBounded<ProcessJob>(new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _slots = Enumerable.Range(0, WorkerCount).Select(_ => new Slot(_options.PipelineDepth)).ToArray();
        _loops = _slots.Select(SlotLoopAsync).ToArray();
    }

    /// <summary>A shared executor with the default options, for code without dependency injection. It lives as long as the process.</summary>
    public static ProcessExecutor Shared => SharedDefault.Value;

    /// <summary>The executor's name (metrics, traces, logs).</summary>
    public string Name { get; }

    /// <summary>How many worker processes run work at once.</summary>
    public int WorkerCount { get; }

    /// <summary>The ids of the live worker processes (for tests that count them).</summary>
    internal IReadOnlyList<int> WorkerProcessIdsForTesting =>
        _slots.Select(s => s.Current is { IsCompletedSuccessfully: true } t ? t.Result.Id : 0).Where(id => id != 0).ToArray();

    /// <summary>Runs <paramref name="work"/> with <paramref name="argument"/> in a worker process and returns its result.</summary>
    /// <typeparam name="TArgument">The argument type; it travels as JSON.</typeparam>
    /// <typeparam name="TResult">The result type; it travels back as JSON.</typeparam>
    /// <param name="work">A static method or a <c>static</c> lambda (no captured state: it runs in another process).</param>
    /// <param name="argument">Everything the work needs.</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="ArgumentException">The work captures state or cannot be found by a worker, or the argument cannot be serialized or is too large.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    /// <exception cref="InvalidOperationException">Workers cannot be started (the executor is broken), with the reason.</exception>
    public Task<TResult> RunAsync<TArgument, TResult>(Func<TArgument, TResult> work, TArgument argument) =>
        RunAsync(work, argument, CancellationToken.None);

    /// <summary>Runs <paramref name="work"/> with <paramref name="argument"/> in a worker process and returns its result.</summary>
    /// <typeparam name="TArgument">The argument type; it travels as JSON.</typeparam>
    /// <typeparam name="TResult">The result type; it travels back as JSON.</typeparam>
    /// <param name="work">A static method or a <c>static</c> lambda (no captured state: it runs in another process).</param>
    /// <param name="argument">Everything the work needs.</param>
    /// <param name="cancellationToken">Cancels the item while queued (at once) or while running (its worker is killed and replaced).</param>
    /// <returns>The work's result. Failures: <see cref="WorkerException"/> (the work threw), <see cref="WorkerCrashedException"/>
    /// (its worker died), <see cref="TimeoutException"/> (it overran <see cref="ProcessExecutorOptions.JobTimeout"/>),
    /// <see cref="InvalidDataException"/> (its worker broke the protocol).</returns>
    /// <exception cref="ArgumentException">The work captures state or cannot be found by a worker, or the argument cannot be serialized or is too large.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    /// <exception cref="InvalidOperationException">Workers cannot be started (the executor is broken), with the reason.</exception>
    public Task<TResult> RunAsync<TArgument, TResult>(Func<TArgument, TResult> work, TArgument argument, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<TArgument, TResult>(work, argument, typeof(TResult), cancellationToken);
    }

    /// <summary>Runs async <paramref name="work"/> in a worker process, which awaits it, and returns its result.</summary>
    /// <typeparam name="TArgument">The argument type; it travels as JSON.</typeparam>
    /// <typeparam name="TResult">The type of the task's result; it travels back as JSON.</typeparam>
    /// <param name="work">A static async method or a <c>static</c> async lambda (no captured state: it runs in another process).</param>
    /// <param name="argument">Everything the work needs.</param>
    /// <returns>The result of the work's task, once the worker has awaited it.</returns>
    /// <exception cref="ArgumentException">The work captures state or cannot be found by a worker, or the argument or result cannot make the round trip.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    /// <exception cref="InvalidOperationException">Workers cannot be started (the executor is broken), with the reason.</exception>
    public Task<TResult> RunAsync<TArgument, TResult>(Func<TArgument, Task<TResult>> work, TArgument argument) =>
        RunAsync(work, argument, CancellationToken.None);

    /// <summary>Runs async <paramref name="work"/> in a worker process, which awaits it, and returns its result.</summary>
    /// <typeparam name="TArgument">The argument type; it travels as JSON.</typeparam>
    /// <typeparam name="TResult">The type of the task's result; it travels back as JSON.</typeparam>
    /// <param name="work">A static async method or a <c>static</c> async lambda (no captured state: it runs in another process).</param>
    /// <param name="argument">Everything the work needs.</param>
    /// <param name="cancellationToken">Cancels the item while queued (at once) or while running (its worker is killed and replaced).</param>
    /// <returns>The result of the work's task, once the worker has awaited it; failures as for the synchronous overload.</returns>
    /// <exception cref="ArgumentException">The work captures state or cannot be found by a worker, or the argument or result cannot make the round trip.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    /// <exception cref="InvalidOperationException">Workers cannot be started (the executor is broken), with the reason.</exception>
    public Task<TResult> RunAsync<TArgument, TResult>(Func<TArgument, Task<TResult>> work, TArgument argument, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<TArgument, TResult>(work, argument, typeof(TResult), cancellationToken);
    }

    /// <summary>Runs async <paramref name="work"/> without a result in a worker process, which awaits it.</summary>
    /// <typeparam name="TArgument">The argument type; it travels as JSON.</typeparam>
    /// <param name="work">A static async method or a <c>static</c> async lambda (no captured state: it runs in another process).</param>
    /// <param name="argument">Everything the work needs.</param>
    /// <returns>A task that completes when the worker has awaited the work's task.</returns>
    /// <exception cref="ArgumentException">The work captures state or cannot be found by a worker, or the argument cannot make the round trip.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    /// <exception cref="InvalidOperationException">Workers cannot be started (the executor is broken), with the reason.</exception>
    public Task RunAsync<TArgument>(Func<TArgument, Task> work, TArgument argument) =>
        RunAsync(work, argument, CancellationToken.None);

    /// <summary>Runs async <paramref name="work"/> without a result in a worker process, which awaits it.</summary>
    /// <typeparam name="TArgument">The argument type; it travels as JSON.</typeparam>
    /// <param name="work">A static async method or a <c>static</c> async lambda (no captured state: it runs in another process).</param>
    /// <param name="argument">Everything the work needs.</param>
    /// <param name="cancellationToken">Cancels the item while queued (at once) or while running (its worker is killed and replaced).</param>
    /// <returns>A task that completes when the worker has awaited the work's task; failures as for the other overloads.</returns>
    /// <exception cref="ArgumentException">The work captures state or cannot be found by a worker, or the argument cannot make the round trip.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    /// <exception cref="InvalidOperationException">Workers cannot be started (the executor is broken), with the reason.</exception>
    public Task RunAsync<TArgument>(Func<TArgument, Task> work, TArgument argument, CancellationToken cancellationToken)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return Submit<TArgument, NoResult>(work, argument, null, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on every argument in worker processes, <paramref name="chunkSize"/> arguments per
    /// work item (Python's <c>ProcessPoolExecutor.map(fn, items, chunksize=…)</c>), and yields the results in the order
    /// of the arguments. Chunks amortize the round trip for many small items; a few chunks per worker are in flight at
    /// once, so memory stays bounded however long the sequence.
    /// </summary>
    /// <typeparam name="TArgument">The argument type; chunks travel as JSON arrays of it.</typeparam>
    /// <typeparam name="TResult">The result type; results travel back as JSON arrays of it.</typeparam>
    /// <param name="work">A static method or a <c>static</c> lambda (synchronous: for async work, use <c>RunAsync</c>).</param>
    /// <param name="arguments">The arguments; read lazily, one chunk at a time.</param>
    /// <param name="chunkSize">Arguments per work item (at least 1). One argument's exception fails its chunk, and the
    /// enumeration throws it (<see cref="WorkerException"/>) when it reaches that chunk; later chunks are canceled.</param>
    /// <param name="cancellationToken">Ends the enumeration at its next argument or result and cancels the chunks in flight.</param>
    /// <returns>The results, in argument order.</returns>
    /// <exception cref="ArgumentException">The work captures state or cannot be found by a worker, the argument or result type cannot make the round trip, or <paramref name="chunkSize"/> is below 1.</exception>
    /// <exception cref="ObjectDisposedException">The executor is shutting down.</exception>
    public IAsyncEnumerable<TResult> MapAsync<TArgument, TResult>(Func<TArgument, TResult> work, IEnumerable<TArgument> arguments, int chunkSize, CancellationToken cancellationToken)
    {
        ChunkedMap.CheckArguments(work, arguments, chunkSize);
        _ = WorkMethod.From(work); // what the first chunk would be refused for, refused now
        ThrowIfUnusable();
        // Enough chunks in flight to keep every worker (and its pipeline) busy while the consumer reads the oldest.
        return ChunkedMap.MapAsync(
            arguments,
            chunkSize,
            2 * WorkerCount * _options.PipelineDepth,
            (chunk, token) => Submit<TArgument[], TResult[]>(work, chunk, typeof(TResult[]), token, batch: true),
            cancellationToken);
    }

    /// <summary>
    /// Validates and queues one item. <paramref name="resultType"/> is what comes back over the wire (the task's result
    /// for async work; <see langword="null"/> when nothing does).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Trimming.ReflectionJsonOnlyWhenEnabled)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = Trimming.ReflectionJsonOnlyWhenEnabled)]
    private Task<TResult> Submit<TArgument, TResult>(Delegate work, TArgument argument, Type? resultType, CancellationToken cancellationToken, bool batch = false)
    {
        var method = WorkMethod.From(work);
        var context = _options.SerializerContext;
        if (method.ReturnsOtherAwaitable)
            throw new ArgumentException($"The work '{method.DisplayName}' returns {method.ReturnType.Name}; a worker awaits async work only when it returns Task or Task<T>. Return a Task (or call .AsTask()).", nameof(work));
        if (context is null)
        {
            if (!JsonSerializer.IsReflectionEnabledByDefault)
            {
                throw new InvalidOperationException(
                    $"This app disables reflection-based System.Text.Json (a trimmed or native AOT publish does), so the executor '{Name}' needs ProcessExecutorOptions.SerializerContext: " +
                    $"a source-generated JsonSerializerContext with [JsonSerializable(typeof({typeof(TArgument).Name}))]" + (resultType is null ? "" : $" and [JsonSerializable(typeof({resultType.Name}))]") + ", set to its Default instance.");
            }

            CheckRoundTrip(method, typeof(TArgument), argument?.GetType(), resultType, batch);
            if (WorkJson.FindDerivedValue(argument, typeof(TArgument)) is { } derived)
                throw new ArgumentException($"The argument cannot travel to a worker process without losing data: {derived}, so what only the derived class has would be lost. Declare that place with the derived class, or add [JsonDerivedType] to the declared one.", nameof(argument));
        }
        ThrowIfUnusable();
        _ = _launch.Value; // a configuration that cannot start workers is reported here, to the caller
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<TResult>(cancellationToken);

        var argumentInfo = context is null ? null : TypeInfo<TArgument>(context, "argument");
        var resultInfo = context is null || resultType is null ? null : TypeInfo<TResult>(context, "result");
        byte[] json;
        try
        {
            json = argumentInfo is null ? JsonSerializer.SerializeToUtf8Bytes(argument, WorkJson.Options) : JsonSerializer.SerializeToUtf8Bytes(argument, argumentInfo);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException($"The argument ({typeof(TArgument).FullName}) cannot be serialized to JSON for the worker process: {e.Message}", nameof(argument), e);
        }

        var callerActivity = Activity.Current;
        var activity = ExecutorTelemetry.StartWorkItem("concurrency.executor.run " + Name, _tags);
        Activity.Current = callerActivity;
        activity?.SetTag("code.function", method.DisplayName);
        var request = new WorkRequest(Interlocked.Increment(ref _nextId), method, json, _options.JobTimeout, activity ?? callerActivity, context?.GetType(), batch);
        var frame = request.ToFrame();
        if (frame.Length > _options.MaxFrameSize)
        {
            activity?.Dispose();
            throw new ArgumentException($"The argument is {json.Length} bytes of JSON; with its header the frame exceeds the {_options.MaxFrameSize}-byte limit (ProcessExecutorOptions.MaxFrameSize).", nameof(argument));
        }

        var job = new ProcessJob<TResult>(request, frame, cancellationToken, activity, resultType is not null, resultInfo);
        if (cancellationToken.CanBeCanceled)
        {
            job.QueuedRegistration = cancellationToken.Register(static state =>
            {
                var queued = (ProcessJob)state!;
                queued.TryCancelQueued(new OperationCanceledException(queued.CancellationToken));
            }, job);
        }

        _gauges.AddQueued(1);
        if (_queue.Writer.TryWrite(job))
            return job.Task;
        return EnqueueWhenThereIsRoomAsync(job);
    }

    /// <summary>
    /// Rejects, before anything runs, work whose argument or result would not arrive as it was sent: awaitables a
    /// worker cannot await, members that cannot be set, types that cannot be created or serialized, and an argument
    /// whose runtime type has more than its declared type carries.
    /// </summary>
    /// <remarks>Reflection mode only: with a <see cref="ProcessExecutorOptions.SerializerContext"/>, the context is the contract.</remarks>
    [RequiresUnreferencedCode("Walks the members of user types by reflection.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    private static void CheckRoundTrip(WorkMethod method, Type declaredArgument, Type? runtimeArgument, Type? resultType, bool batch)
    {
        var argumentLoss = WorkJson.FindLoss(declaredArgument);
        if (argumentLoss is null && method.ParameterType != (batch ? declaredArgument.GetElementType() : declaredArgument))
            argumentLoss = WorkJson.FindLoss(method.ParameterType);
        if (argumentLoss is not null)
            throw new ArgumentException($"The argument cannot travel to a worker process without losing data: {argumentLoss}.", "argument");
        if (runtimeArgument is not null && runtimeArgument != declaredArgument
            && WorkJson.Options.GetTypeInfo(declaredArgument) is { Kind: JsonTypeInfoKind.Object, PolymorphismOptions: null })
        {
            throw new ArgumentException($"The argument is a {runtimeArgument.FullName} but travels as its declared type {declaredArgument.FullName}, so what only {runtimeArgument.Name} has would be lost. Declare the argument as {runtimeArgument.Name}, or add [JsonDerivedType(typeof({runtimeArgument.Name}))] to {declaredArgument.Name}.", "argument");
        }

        if (resultType is not null && WorkJson.FindLoss(resultType) is { } resultLoss)
            throw new ArgumentException($"The result of '{method.DisplayName}' cannot travel back from a worker process without losing data: {resultLoss}.", "work");
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerContext context, string role) =>
        context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new ArgumentException($"The serializer context {context.GetType().FullName} (ProcessExecutorOptions.SerializerContext) has no metadata for the {role} type {typeof(T).FullName}; add [JsonSerializable(typeof({typeof(T).Name}))] to it.", role == "argument" ? "argument" : "work");

    /// <summary>Starts every worker now, so the first work items do not wait for process start-up.</summary>
    /// <param name="cancellationToken">Stops waiting (the workers keep starting).</param>
    /// <returns>A task that completes when every worker is ready.</returns>
    /// <exception cref="InvalidOperationException">Workers cannot be started, with the reason.</exception>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        var starting = _slots.Select(EnsureWorker).ToArray();
        await Task.WhenAll(starting).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops accepting work, lets queued and running items finish, then stops every worker. On the shared
    /// <see cref="Shared"/> instance it does nothing: it serves the whole process.
    /// </summary>
    /// <returns>A task that completes when every worker process has exited.</returns>
    public ValueTask DisposeAsync() => _shared ? default : new(ShutdownAsync(cancelPendingWork: false));

    /// <summary>
    /// Stops accepting work without waiting: queued and running items finish in the background, then the workers exit
    /// (for containers that dispose synchronously). Does nothing on the shared instance.
    /// </summary>
    public void Dispose()
    {
        if (!_shared)
            _ = ShutdownAsync(cancelPendingWork: false);
    }

    /// <summary>Stops accepting work and completes when every worker process has exited.</summary>
    /// <param name="cancelPendingWork"><see langword="true"/> to cancel queued items and kill running ones
    /// (they fail with <see cref="OperationCanceledException"/>); <see langword="false"/> to let them finish.</param>
    /// <returns>A task that completes when every worker process has exited.</returns>
    /// <exception cref="InvalidOperationException">This is the shared instance, which lives as long as the process.</exception>
    public Task ShutdownAsync(bool cancelPendingWork)
    {
        if (_shared)
            throw new InvalidOperationException("ProcessExecutor.Shared is shared by the whole process and lives as long as it, so it cannot be shut down. Create your own ProcessExecutor to control a pool's lifetime.");
        Task stopped;
        lock (_slots)
        {
            if (_stopped is not null)
                return _stopped;
            Volatile.Write(ref _stopping, 1);
            _cancelPending = cancelPendingWork;
            _queue.Writer.TryComplete();
            _stopped = stopped = StoppedAsync();
        }

        if (cancelPendingWork)
        {
            // Outside the lock: killing a process is a system call that may take a while. A worker a slot takes after
            // this sees _cancelPending and is killed by its own loop.
            FailQueued(new OperationCanceledException($"The executor '{Name}' shut down before this work item ran."));
            foreach (var slot in _slots)
                slot.Running?.Kill(KillReason.Shutdown);
        }

        return stopped;
    }

    /// <summary>Every slot's loop has ended: the executor stops being reported, then its shutdown completes.</summary>
    private async Task StoppedAsync()
    {
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _gauges.Unregister();
    }

    private async Task<TResult> EnqueueWhenThereIsRoomAsync<TResult>(ProcessJob<TResult> job)
    {
        try
        {
            await _queue.Writer.WriteAsync(job, job.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _gauges.AddQueued(-1);
            job.TryCancelQueued(new OperationCanceledException(job.CancellationToken));
        }
        catch (ChannelClosedException)
        {
            _gauges.AddQueued(-1);
            job.TryCancelQueued(Volatile.Read(ref _broken) ?? new ObjectDisposedException(GetType().Name, $"The executor '{Name}' shut down while this work item waited for room in its queue."));
        }

        return await job.Task.ConfigureAwait(false);
    }

    private void ThrowIfUnusable()
    {
        if (Volatile.Read(ref _broken) is { } broken)
            throw new InvalidOperationException(broken.Message, broken);
        if (Volatile.Read(ref _stopping) == 1)
            throw new ObjectDisposedException(GetType().Name, $"The executor '{Name}' is shutting down and accepts no more work.");
    }

    private void FailQueued(Exception error)
    {
        while (_queue.Reader.TryRead(out var job))
        {
            _gauges.AddQueued(-1);
            job.TryCancelQueued(error);
        }
    }

    /// <summary>One worker's loop: take an item, make sure the worker is up, run items on it, recover from whatever happened.</summary>
    private async Task SlotLoopAsync(Slot slot)
    {
        await Task.Yield();
        while (true)
        {
            if (!TryTakeWork(slot, out var job))
            {
                if (!await WaitForWorkAsync(slot).ConfigureAwait(false))
                    break;
                continue;
            }

            try
            {
                await RunSessionAsync(slot, job).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A defect here must not stop the loop (the pool would silently shrink): the items get the error.
                lock (slot)
                    slot.Current = null;
                FailWithRetries(slot, job, new InvalidOperationException($"The process executor '{Name}' failed internally while running this work item: {e.Message}", e));
            }
        }

        await StopWorkerAsync(slot).ConfigureAwait(false);
    }

    /// <summary>Fails an item, and the items a dead worker left to this slot, with one error.</summary>
    private static void FailWithRetries(Slot slot, ProcessJob job, Exception error)
    {
        job.Fail(error);
        while (slot.Retry.TryDequeue(out var waiting))
            waiting.Fail(error);
    }

    /// <summary>The next item for this worker: one a dead worker never started comes first, then the queue.</summary>
    private bool TryTakeWork(Slot slot, [NotNullWhen(true)] out ProcessJob? job)
    {
        if (slot.Retry.TryDequeue(out job))
            return true;
        while (_queue.Reader.TryRead(out job))
        {
            _gauges.AddQueued(-1);
            if (job.TryClaim())
                return true; // else: canceled while queued
        }

        job = null;
        return false;
    }

    /// <summary>Waits for work; a live worker that waits longer than the idle timeout is stopped meanwhile.</summary>
    private async Task<bool> WaitForWorkAsync(Slot slot)
    {
        if (slot.Current is null || _options.IdleTimeout == Timeout.InfiniteTimeSpan)
            return await _queue.Reader.WaitToReadAsync().ConfigureAwait(false);
        using var idle = new CancellationTokenSource(_options.IdleTimeout);
        try
        {
            return await _queue.Reader.WaitToReadAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            await StopWorkerAsync(slot).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>
    /// Runs items on the slot's worker until it has nothing in flight: the first item, plus — up to
    /// the slot's <see cref="PipelinePolicy.Depth"/> — items handed to it while it works. The worker runs them in
    /// order, so only the oldest unanswered item can have started: if the worker dies, that one fails and the others go
    /// back to the front of this slot's line, to run on the replacement.
    /// </summary>
    private async Task RunSessionAsync(Slot slot, ProcessJob first)
    {
        var started = Stopwatch.GetTimestamp();
        WorkerProcess worker;
        try
        {
            worker = await EnsureWorker(slot).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (slot)
                slot.Current = null;
            var error = Volatile.Read(ref _broken) ?? e;
            ExecutorTelemetry.Finished(_tags, started, error);
            FailWithRetries(slot, first, error);
            return;
        }

        var session = new WorkerSession(worker, _options.JobTimeout);
        slot.Running = worker;
        if (_cancelPending)
            worker.Kill(KillReason.Shutdown);
        _gauges.AddIdle(-1);
        _gauges.AddBusy(1);
        InvalidDataException? malformed = null;
        var next = first;
        try
        {
            while (true)
            {
                // Hand the worker what it can take: the first item, then more while it works (pipelining).
                if (next is not null)
                    await SendAsync(slot, session, next).ConfigureAwait(false);
                next = null;

                if (session.Count == 0)
                    break; // every item taken was canceled before it was sent

                var answer = await worker.ReceiveAsync().ConfigureAwait(false);
                if (answer is not { } reply)
                    break; // the worker died or was killed
                var head = session.Head;
                var canceledMeanwhile = head.IsDone;
                var error = Deliver(head, reply.Kind, reply.Payload.Span);
                slot.Pipeline.Ran(Stopwatch.GetTimestamp() - head.SentAt);
                session.PopHead();
                if (!canceledMeanwhile)
                    ExecutorTelemetry.Finished(_tags, head.SentAt, error);
                worker.Completed++;
                // Refill once half of what the worker may hold is done: it never runs dry, and items go in batches.
                if (session.Count <= slot.Pipeline.Depth / 2)
                    next = TakeMoreFor(slot, worker);
                if (session.Count == 0 && next is null)
                    break;
            }
        }
        catch (InvalidDataException e)
        {
            malformed = e;
        }
        finally
        {
            slot.Running = null;
            _gauges.AddBusy(-1);
            _gauges.AddIdle(1);
        }

        if (session.Count == 0 && malformed is null)
        {
            session.Dispose();
            if (worker.KillReason != KillReason.None)
                await ReplaceAsync(slot, worker, worker.KillReason == KillReason.Timeout ? "timeout" : "cancel", null).ConfigureAwait(false);
            else if (_options.MaxTasksPerWorker > 0 && worker.Completed >= _options.MaxTasksPerWorker)
                await ReplaceAsync(slot, worker, "recycle", null).ConfigureAwait(false);
            return;
        }

        // No answer for the oldest item: the worker died, was killed, or broke the protocol.
        if (malformed is not null)
            worker.Kill(KillReason.Malformed);
        var exitCode = await worker.WaitForExitAsync().ConfigureAwait(false);
        var failed = session.PopHead();
        session.Dispose();
        var failure = WorkerFailure.For(Name, _options.JobTimeout, failed, worker, exitCode, malformed);
        if (!failed.IsDone)
            ExecutorTelemetry.Finished(_tags, failed.SentAt, failure);
        failed.Fail(failure);
        foreach (var unstarted in session.Drain())
        {
            if (unstarted.IsDone)
                continue;
            if (worker.KillReason == KillReason.Shutdown)
                unstarted.Fail(new OperationCanceledException($"The executor '{Name}' shut down before this work item ran."));
            else
                slot.Retry.Enqueue(unstarted);
        }

        var reason = worker.KillReason switch
        {
            KillReason.Timeout => "timeout",
            KillReason.Canceled => "cancel",
            KillReason.Shutdown => null,
            _ => "crash",
        };
        await ReplaceAsync(slot, worker, reason, failure).ConfigureAwait(false);
    }

    /// <summary>The next item for the same worker, if one is ready and the worker may take it (alive, not due for recycling).</summary>
    private ProcessJob? TakeMoreFor(Slot slot, WorkerProcess worker) =>
        worker.KillReason == KillReason.None && !_cancelPending
        && (_options.MaxTasksPerWorker == 0 || worker.Sent < _options.MaxTasksPerWorker)
        && TryTakeWork(slot, out var job) ? job : null;

    /// <summary>
    /// Sends <paramref name="first"/> and, while the session has room (<see cref="PipelinePolicy.Depth"/>),
    /// the items ready behind it — all in one write, so a pipelined batch costs one system call. An item canceled while
    /// queued ends here. If the worker's input is already closed (it died), the items stay in the session, where its
    /// exit explains why.
    /// </summary>
    private async Task SendAsync(Slot slot, WorkerSession session, ProcessJob first)
    {
        var worker = session.Worker;
        var outgoing = slot.Outgoing;
        var length = 0;
        for (var job = first; job is not null; job = session.Count < slot.Pipeline.Depth ? TakeMoreFor(slot, worker) : null)
        {
            if (job.CancellationToken.IsCancellationRequested)
            {
                job.Fail(new OperationCanceledException(job.CancellationToken));
                continue;
            }

            if (ExecutorTelemetry.TimeInQueue.Enabled)
                ExecutorTelemetry.TimeInQueue.Record(ExecutorTelemetry.Seconds(job.EnqueuedAt, Stopwatch.GetTimestamp()), _tags);
            session.Add(job);
            outgoing.Add(job);
            length += job.Frame.Length;
        }

        byte[]? frames = null;
        try
        {
            if (outgoing.Count == 1)
            {
                await worker.SendAsync(outgoing[0].Frame).ConfigureAwait(false);
            }
            else if (outgoing.Count > 1)
            {
                frames = ArrayPool<byte>.Shared.Rent(length);
                var offset = 0;
                foreach (var job in outgoing)
                {
                    job.Frame.CopyTo(frames, offset);
                    offset += job.Frame.Length;
                }

                await worker.SendAsync(frames.AsMemory(0, length)).ConfigureAwait(false);
            }
        }
        finally
        {
            outgoing.Clear();
            if (frames is not null)
                ArrayPool<byte>.Shared.Return(frames);
        }
    }

    /// <summary>Completes the item from the worker's answer; returns the work's error, if it threw.</summary>
    private static WorkerException? Deliver(ProcessJob job, FrameKind kind, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var id = reader.ReadInt64();
        if (id != job.Request.Id)
            throw new InvalidDataException($"Malformed frame: an answer for work item {id} while work item {job.Request.Id} was running.");
        switch (kind)
        {
            case FrameKind.Result:
                job.Succeed(payload[8..]);
                return null;
            case FrameKind.Error:
                var error = RemoteError.Decode(payload[8..]);
                job.Fail(error);
                return error;
            default:
                throw new InvalidDataException($"Malformed frame: a {kind} frame where an answer was expected.");
        }
    }

    /// <summary>Retires a worker (gracefully if it is still alive) and starts its replacement at once, unless shutting down.</summary>
    private async Task ReplaceAsync(Slot slot, WorkerProcess worker, string? reason, Exception? error)
    {
        if (reason is not null)
        {
            if (reason == "recycle")
                _logger.WorkerRecycled(Name, worker.Id, worker.Completed);
            else
                _logger.WorkerReplaced(Name, worker.Id, reason, error);
            if (ExecutorTelemetry.WorkerRestarts.Enabled)
            {
                var tags = _tags;
                tags.Add("reason", reason);
                ExecutorTelemetry.WorkerRestarts.Add(1, tags);
            }
        }

        lock (slot)
            slot.Current = null;
        await worker.StopAsync().ConfigureAwait(false);
        _gauges.AddIdle(-1);
        if (Volatile.Read(ref _stopping) == 0)
            _ = EnsureWorker(slot).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private Task<WorkerProcess> EnsureWorker(Slot slot)
    {
        lock (slot)
            return slot.Current ??= StartWorkerAsync();
    }

    private async Task StopWorkerAsync(Slot slot)
    {
        Task<WorkerProcess>? current;
        lock (slot)
        {
            current = slot.Current;
            slot.Current = null;
        }

        if (current is null)
            return;
        WorkerProcess worker;
        try
        {
            worker = await current.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WorkerStartException or InvalidOperationException)
        {
            return; // it never started; its failure was reported where it was awaited
        }

        await worker.StopAsync().ConfigureAwait(false);
        _gauges.AddIdle(-1);
        _logger.WorkerStopped(Name, worker.Id);
    }

    /// <summary>Starts a worker, retrying; after <see cref="ProcessExecutorOptions.MaxStartAttempts"/> failures in a row the executor is broken.</summary>
    private async Task<WorkerProcess> StartWorkerAsync()
    {
        while (true)
        {
            try
            {
                var worker = await WorkerProcess.StartAsync(_launch.Value, _options.MaxFrameSize, _options.StartTimeout, _onErrorLine, _initializer).ConfigureAwait(false);
                Interlocked.Exchange(ref _failedStartsInARow, 0);
                _gauges.AddIdle(1);
                _logger.WorkerStarted(Name, worker.Id);
                return worker;
            }
            catch (WorkerStartException e)
            {
                _logger.WorkerStartFailed(Name, e);
                if (Interlocked.Increment(ref _failedStartsInARow) >= _options.MaxStartAttempts)
                {
                    Exception broken = new InvalidOperationException(
                        $"The process executor '{Name}' is broken: {_options.MaxStartAttempts} worker starts in a row failed, so it fails all work. The last failure: {e.Message}", e);
                    broken = Interlocked.CompareExchange(ref _broken, broken, null) ?? broken;
                    FailQueued(broken);
                    throw broken;
                }

                if (Volatile.Read(ref _stopping) == 1)
                    throw;
            }
        }
    }

    /// <summary>One place in the pool: the worker process in it (started or starting), and items a dead worker never started.</summary>
    private sealed class Slot
    {
        public Slot(int maxPipelineDepth) => Pipeline = new PipelinePolicy(maxPipelineDepth);

        /// <summary>How many items this slot's worker may hold now (only the slot's loop touches it).</summary>
        public PipelinePolicy Pipeline { get; }

        /// <summary>The items of the batch being sent, reused from send to send (only the slot's loop touches it).</summary>
        public List<ProcessJob> Outgoing { get; } = new();

        public Task<WorkerProcess>? Current { get; set; }

        public WorkerProcess? Running { get; set; }

        /// <summary>Claimed items to run before any queued one (only the slot's loop touches it).</summary>
        public Queue<ProcessJob> Retry { get; } = new();
    }
}
