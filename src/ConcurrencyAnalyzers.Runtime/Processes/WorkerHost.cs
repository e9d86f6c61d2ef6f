using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// The loop of a worker process: read a request from the parent, run it, answer with a result or an error envelope;
/// end when the input ends. A watchdog ends the process if the parent dies while a work item runs.
/// </summary>
internal sealed class WorkerHost
{
    public const int ExitCodeBadRequest = 70;
    public const int ExitCodeMalformedFrame = 71;
    public const int ExitCodeParentGone = 72;
    public const int ExitCodeInitializerFailed = 73;

    private readonly int _maxFrameSize;
    private readonly ConcurrentDictionary<(Guid, int), ResolvedWork> _methods = new();
    private readonly ConcurrentDictionary<(Guid, int), JsonSerializerContext> _contexts = new();

    public WorkerHost(int maxFrameSize) => _maxFrameSize = maxFrameSize;

    /// <summary>
    /// Serves requests in order until the input ends (the parent closed it, or died); returns the process exit code.
    /// Requests the parent pipelines wait in the pipe (or in the reader's buffer) until this thread reads them.
    /// </summary>
    public int Run(Stream input, Stream output)
    {
        var hello = new byte[Frame.HeaderSize + 8];
        Frame.WriteHeader(hello, FrameKind.Hello, 8);
        var writer = new PayloadWriter(hello.AsSpan(Frame.HeaderSize));
        writer.WriteInt32(Frame.ProtocolVersion);
        writer.WriteInt32(Environment.ProcessId);
        var reader = new FrameReader(input, _maxFrameSize);
        try
        {
            output.Write(hello);
            output.Flush();
            while (reader.Read() is { } frame)
            {
                if (frame.Kind != FrameKind.Request)
                    throw new InvalidDataException($"Malformed frame: a worker expects requests, not {frame.Kind}.");
                // Each answer goes out at once, in one write: holding it back to join the next one's would make the
                // parent wait for (and time out) an item that is done while a slow one runs.
                output.Write(Execute(frame.Payload.Span));
                output.Flush();
            }

            return 0;
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine("ConcurrencyAnalyzers worker: " + e.Message);
            return ExitCodeMalformedFrame;
        }
        catch (IOException)
        {
            return 0; // the pipe broke: the parent is gone
        }
    }

    /// <summary>
    /// Ends this process when the parent process exits — also in the middle of a work item, when nothing reads the
    /// pipe (an idle worker sees the pipe close by itself).
    /// </summary>
    public static void ExitWithParent(int parentProcessId)
    {
        var watchdog = new Thread(() =>
        {
            try
            {
                using var parent = Process.GetProcessById(parentProcessId);
                parent.WaitForExit();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }

            Environment.Exit(ExitCodeParentGone);
        })
        { IsBackground = true, Name = "ConcurrencyAnalyzers worker parent watchdog" };
        watchdog.Start();
    }

    /// <summary>
    /// Runs <see cref="ProcessExecutorOptions.WorkerInitializer"/> (its identity as the parent wrote it) before the worker
    /// says hello; returns 0, or the exit code for a failure, after writing the failure to standard error.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Trimming.ResolvedFromTheSameBuild)]
    public static int RunInitializer(string identity)
    {
        try
        {
            var parts = identity.Split('|');
            if (parts.Length != 3 || !Guid.TryParseExact(parts[1], "N", out var moduleVersionId) || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token))
                throw new InvalidDataException($"'{identity}' is not an initializer identity.");
            if (FindModule(parts[0], moduleVersionId).ResolveMethod(token) is not MethodInfo method || method.GetParameters().Length != 0)
                throw new MissingMethodException($"Metadata token 0x{token:X8} of {parts[0]} is not a parameterless method.");
            method.Invoke(TargetOf(method), BindingFlags.DoNotWrapExceptions, binder: null, parameters: null, culture: null);
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("ConcurrencyAnalyzers worker: the WorkerInitializer failed, so this worker cannot serve: " + e);
            return ExitCodeInitializerFailed;
        }
    }

    /// <summary>
    /// The instance to call a resolved method on: none for a static method; for a lambda that captures nothing (an
    /// instance method of a field-less compiler-generated class), an equivalent instance of its holder.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = Trimming.LambdaHolder)]
    private static object? TargetOf(MethodInfo method)
    {
        if (method.IsStatic)
            return null;
        var holder = method.DeclaringType!;
        if (!WorkMethod.IsFieldlessLambdaHolder(holder))
            throw new InvalidOperationException($"{holder.FullName}.{method.Name} is not a static method or a lambda that captures nothing.");
        return RuntimeHelpers.GetUninitializedObject(holder);
    }

    /// <summary>Runs one request; an exception from the work (or from finding it) becomes the error envelope.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Trimming.ReflectionJsonOnlyWhenEnabled)]
    private byte[] Execute(ReadOnlySpan<byte> payload)
    {
        var request = new ReceivedRequest(payload);
        var id = request.Id;
        Activity? activity = null;
        try
        {
            var work = _methods.GetOrAdd((request.ModuleVersionId, request.MetadataToken), static (key, name) => ResolvedWork.Find(name, key.Item1, key.Item2), request.AssemblyName);
            var context = request.ContextAssemblyName is null ? null : _contexts.GetOrAdd((request.ContextModuleVersionId, request.ContextMetadataToken), static (key, name) => CreateContext(name, key.Item1, key.Item2), request.ContextAssemblyName);
            var argumentType = request.Batch ? work.ParameterType.MakeArrayType() : work.ParameterType;
            var resultType = request.Batch ? work.ResultType?.MakeArrayType() : work.ResultType;
            var argument = context is null
                ? JsonSerializer.Deserialize(request.Argument, argumentType, WorkJson.Options)
                : JsonSerializer.Deserialize(request.Argument, TypeInfo(context, argumentType));
            if (request.TraceParent is not null)
            {
                // The submitter's trace continues here: whatever the work traces or calls joins it.
                activity = new Activity("concurrency.executor.process.work").SetParentId(request.TraceParent);
                activity.TraceStateString = request.TraceState;
                activity.Start();
            }

            var result = request.Batch ? work.InvokeEach((Array?)argument) : work.Invoke(argument);
            if (context is null && resultType is not null && WorkJson.FindDerivedValue(result, resultType) is { } derived)
                throw new InvalidOperationException($"The result of {work.Method.DeclaringType?.FullName}.{work.Method.Name} cannot travel back without losing data: {derived}. Declare the result with the derived class, or add [JsonDerivedType] to the declared one.");
            var json = resultType is null
                ? "null"u8.ToArray()
                : context is null
                    ? JsonSerializer.SerializeToUtf8Bytes(result, resultType, WorkJson.Options)
                    : JsonSerializer.SerializeToUtf8Bytes(result, TypeInfo(context, resultType));
            if (json.Length + 9 > _maxFrameSize)
                throw new InvalidOperationException($"The result of {work.Method.DeclaringType?.FullName}.{work.Method.Name} is {json.Length} bytes of JSON, over the {_maxFrameSize}-byte frame size limit (ProcessExecutorOptions.MaxFrameSize).");
            var frame = new byte[Frame.HeaderSize + 8 + json.Length];
            Frame.WriteHeader(frame, FrameKind.Result, 8 + json.Length);
            new PayloadWriter(frame.AsSpan(Frame.HeaderSize)).WriteInt64(id);
            json.CopyTo(frame.AsSpan(Frame.HeaderSize + 8));
            return frame;
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            return RemoteError.Encode(id, e);
        }
        finally
        {
            activity?.Stop();
        }
    }

    private static JsonTypeInfo TypeInfo(JsonSerializerContext context, Type type) =>
        context.GetTypeInfo(type) ?? throw new NotSupportedException($"The serializer context {context.GetType().FullName} has no metadata for {type.FullName}; add [JsonSerializable(typeof({type.Name}))] to it.");

    /// <summary>Only the app's own assemblies (its dependency context), only the exact build the parent runs.</summary>
    private static Module FindModule(string assemblyName, Guid moduleVersionId) =>
        Assembly.Load(new AssemblyName(assemblyName)).Modules.FirstOrDefault(m => m.ModuleVersionId == moduleVersionId)
        ?? throw new InvalidOperationException($"The worker loaded a different build of {assemblyName} than the parent runs (module version ids differ); the parent and its workers must run the same files.");

    /// <summary>The parent's source-generated JSON context type, found again like a method; its <c>Default</c> instance.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Trimming.ResolvedFromTheSameBuild)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = Trimming.ResolvedFromTheSameBuild)]
    private static JsonSerializerContext CreateContext(string assemblyName, Guid moduleVersionId, int metadataToken)
    {
        var type = FindModule(assemblyName, moduleVersionId).ResolveType(metadataToken);
        if (!typeof(JsonSerializerContext).IsAssignableFrom(type))
            throw new InvalidOperationException($"{type.FullName} is not a JsonSerializerContext.");
        // A generated context's static Default carries its [JsonSourceGenerationOptions]; a plain `new` would not. The
        // parent checked that it exists (ProcessExecutorOptions.Validate).
        return type.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as JsonSerializerContext
               ?? throw new InvalidOperationException($"{type.FullName} has no static Default instance for the worker to use.");
    }

    /// <summary>A method found again from its identity, with what is needed to call it.</summary>
    private sealed class ResolvedWork
    {
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Task<T>.Result of a task type the kept work method returns.")]
        private ResolvedWork(MethodInfo method, object? target)
        {
            Method = method;
            Target = target;
            ParameterType = method.GetParameters().Single().ParameterType;
            IsAsync = WorkJson.IsTask(method.ReturnType, out var taskResult);
            ResultType = IsAsync ? taskResult : method.ReturnType;
            _taskResult = taskResult is null ? null : method.ReturnType.GetProperty(nameof(System.Threading.Tasks.Task<int>.Result));
        }

        private readonly PropertyInfo? _taskResult;

        public MethodInfo Method { get; }

        public object? Target { get; }

        public Type ParameterType { get; }

        /// <summary>The method returns a task: the worker awaits it and sends its result.</summary>
        public bool IsAsync { get; }

        /// <summary>What travels back: the return value, the task's result, or nothing (a plain Task).</summary>
        public Type? ResultType { get; }

        /// <summary>Calls the method with one argument (awaiting its task, for async work).</summary>
        public object? Invoke(object? argument)
        {
            var result = Method.Invoke(Target, BindingFlags.DoNotWrapExceptions, binder: null, [argument], culture: null);
            return IsAsync ? Await(result) : result;
        }

        /// <summary>A batch: the method on each argument in order; the first exception fails the whole batch.</summary>
        public Array? InvokeEach(Array? arguments)
        {
            if (arguments is null)
                throw new InvalidDataException("A batch request without an array of arguments.");
            var results = ResultType is null ? null : Array.CreateInstance(ResultType, arguments.Length);
            for (var i = 0; i < arguments.Length; i++)
            {
                var result = Invoke(arguments.GetValue(i));
                results?.SetValue(result, i);
            }

            return results;
        }

        /// <summary>
        /// Waits for the task async work returned (this thread serves one item at a time, so it has nothing else to
        /// do) and returns its result; the work's own exception surfaces unwrapped.
        /// </summary>
        public object? Await(object? returned)
        {
            if (returned is not System.Threading.Tasks.Task task)
                throw new InvalidOperationException($"{Method.DeclaringType?.FullName}.{Method.Name} returned a null task.");
            task.GetAwaiter().GetResult();
            return _taskResult?.GetValue(task);
        }

        /// <summary>The one-parameter method the identity names, and the instance a non-capturing lambda needs.</summary>
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Trimming.ResolvedFromTheSameBuild)]
        public static ResolvedWork Find(string assemblyName, Guid moduleVersionId, int metadataToken)
        {
            if (FindModule(assemblyName, moduleVersionId).ResolveMethod(metadataToken) is not MethodInfo method || method.GetParameters().Length != 1)
                throw new MissingMethodException($"Metadata token 0x{metadataToken:X8} of {assemblyName} is not a one-parameter method.");
            return new ResolvedWork(method, TargetOf(method));
        }
    }
}
