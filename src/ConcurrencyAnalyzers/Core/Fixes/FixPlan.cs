using System;
using System.Collections.Immutable;

namespace ConcurrencyAnalyzers;

/// <summary>The rewrites the fixers know; each is one rewrite class in the fixes assembly.</summary>
internal enum FixKind
{
    /// <summary><c>t.Wait()</c>, <c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c> → <c>await t</c> (the operand is the task).</summary>
    AwaitTask,

    /// <summary><c>x.M(args)</c> → <c>await x.MAsync(args[, token])</c>; the twin's name is <see cref="FixPlan.Name"/>.</summary>
    AwaitTwin,

    /// <summary><c>Thread.Sleep(x)</c> → <c>await Task.Delay(x[, token])</c>.</summary>
    Delay,

    /// <summary><c>using</c> → <c>await using</c> (the operand is the using statement or declaration).</summary>
    AwaitUsing,

    /// <summary><c>handle.WaitOne(args)</c> → <c>await handle.WaitOneAsync(args[, token])</c> from the runtime library.</summary>
    WaitOneAsync,

    /// <summary><c>M(args)</c> → <c>await ThreadExecutor.Blocking.RunAsync(() =&gt; M(args), token)</c> (or <c>Task.Run</c> with <see cref="OffloadTarget.Bcl"/>).</summary>
    OffloadCall,

    /// <summary>
    /// <c>var c = new TcpClient(host, port);</c> → <c>var c = new TcpClient(); await c.ConnectAsync(host, port[, token]);</c>
    /// (the operand is the creation; <see cref="FixPlan.Name"/> the connect method).
    /// </summary>
    ConnectAfterCreate,

    /// <summary><c>Task.Run(() =&gt; x.Read(…))</c> → <c>x.ReadAsync(…, token)</c> (the operand is the inner call; <see cref="FixPlan.AsTask"/> when the result must stay a <c>Task</c>).</summary>
    UnwrapTaskRun,

    /// <summary><c>Task.Run(work[, token])</c> → <c>ThreadExecutor.Blocking.RunAsync(work[, token])</c> (the operand is the <c>Task.Run</c> call).</summary>
    RunOnBlockingExecutor,

    /// <summary>A statement range → <c>await ThreadExecutor.Compute.RunAsync(() =&gt; { … }, token)</c>, keeping the values it assigns.</summary>
    OffloadStatements,

    /// <summary>
    /// <c>Parallel.ForEach(src, x =&gt; { … Read(…) … })</c> → <c>await Parallel.ForEachAsync(src[, token], async (x, ct) =&gt;
    /// { … await ReadAsync(…, ct) … })</c>, and <c>For</c> → <c>ForAsync</c> (the operand is the <c>Parallel</c> call;
    /// <see cref="FixPlan.Inner"/> are the body's calls, <see cref="FixPlan.Parameter"/> the new token parameter).
    /// </summary>
    ParallelAsync,

    /// <summary>
    /// A dedicated thread → a task: <c>new Thread(work)</c> … <c>t.Start()</c> → <c>ThreadExecutor.Compute.RunAsync(work)</c>
    /// (compute) or <c>Task.Run(async () =&gt; …)</c> with its sleeps awaited (waiting), its <c>Join</c> → <c>Wait</c>/<c>await</c>, <c>IsAlive</c> → <c>!IsCompleted</c>, the variable typed
    /// <c>Task</c>. The operand is the smallest construct holding every edit; <see cref="FixPlan.Inner"/> are the edits,
    /// each a <see cref="ThreadPiece"/> (as its plan's name) or a call awaited in the start body.
    /// </summary>
    ThreadToTask,

    /// <summary>
    /// A thread per item, started in a loop and joined after it → <c>Parallel.ForEach(src, x =&gt; work)</c> or
    /// <c>Parallel.For(a, b, i =&gt; work)</c>; the list of threads and the loop that joins them go (the operand is the
    /// block; <see cref="FixPlan.Inner"/> the loop, the list and the joins as <see cref="ThreadPiece"/>s).
    /// </summary>
    ThreadsToParallel,

    /// <summary><c>async void M()</c> → <c>async Task M()</c> (the operand is the return type).</summary>
    ReturnTask,

    /// <summary>
    /// <c>Task.Factory.StartNew(async () =&gt; …[, token])</c> → <c>Task.Run(async () =&gt; …[, token])</c> (the operand is the
    /// <c>StartNew</c> call).
    /// </summary>
    TaskRun,

    /// <summary><c>factory.StartNew(async () =&gt; …, options, scheduler)</c> → <c>….Unwrap()</c> (the operand is the call).</summary>
    Unwrap,

    /// <summary>
    /// <c>list.ForEach(async x =&gt; { … })</c> → <c>foreach (var x in list) { … }</c>, awaited in the enclosing function
    /// (the operand is the <c>ForEach</c> call; <c>return;</c> in the body becomes <c>continue;</c>).
    /// </summary>
    ForEachLoop,
}

/// <summary>One edit of a thread's conversion to a task (<see cref="FixKind.ThreadToTask"/>, <see cref="FixKind.ThreadsToParallel"/>).</summary>
internal enum ThreadPiece
{
    /// <summary>The <c>new Thread(…)</c> (or <c>new Thread(…).Start()</c>) of a compute thread → the executor (or <c>Task.Run</c>) running the work.</summary>
    Create,

    /// <summary>The <c>new Thread(…)</c> of a waiting thread → <c>Task.Run</c> of its start delegate made async.</summary>
    CreateAsync,

    /// <summary>A statement that goes: <c>t.Start();</c>, <c>t.IsBackground = true;</c>, the list of threads, the join loop.</summary>
    Remove,

    /// <summary><c>t.Join(…)</c> → <c>t.Wait(…)</c> (same overloads, same <c>bool</c>).</summary>
    Wait,

    /// <summary><c>t.Join();</c> in async code → <c>await t;</c>.</summary>
    Await,

    /// <summary><c>t.IsAlive</c> → <c>!t.IsCompleted</c> (and <c>!t.IsAlive</c> → <c>t.IsCompleted</c>).</summary>
    IsCompleted,

    /// <summary>The declared type <c>Thread</c> of the variable → <c>Task</c>.</summary>
    TaskType,

    /// <summary>The start method <c>void M()</c> → <c>async Task M()</c> (its sleeps awaited).</summary>
    AsyncMethod,

    /// <summary>The loop that starts a thread per item → <c>Parallel.ForEach</c>/<c>Parallel.For</c> (<see cref="FixPlan.Arguments"/>: the new loop's text up to its body).</summary>
    ParallelLoop,
}

/// <summary>Which of the runtime's executors an offloading rewrite targets.</summary>
internal enum ExecutorPool
{
    Compute,
    Blocking,
}

/// <summary>
/// The typed contract between an analyzer and its fixer: the rewrites that are possible (several actions per
/// diagnostic, most preferred first) and what they need, encoded in <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>.
/// The operand the rewrite works on (the task, the call, the using statement) travels as the diagnostic's first
/// additional location, so the fixer never re-derives it from member names. A diagnostic without a plan has no safe fix.
/// </summary>
internal sealed class FixPlan
{
    private const string FixesKey = "Fixes";
    private const string NameKey = "Name";
    private const string TokenKey = "Token";
    private const string TargetKey = "Offload";
    private const string PoolKey = "Pool";
    private const string TwinTokenKey = "TwinTakesToken";
    private const string NullFallbackKey = "NullFallback";
    private const string ArgumentsKey = "Arguments";
    private const string AsTaskKey = "AsTask";
    private const string ParameterKey = "Parameter";
    private const string InnerCountKey = "Inner";
    private const string InnerSpanKey = "Span";
    private const string SuppressThrowingKey = "SuppressThrowing";
    private const string VoidToTaskKey = "VoidToTask";

    public FixPlan(ImmutableArray<FixKind> fixes, string? name = null, string? token = null, bool twinTakesToken = false, OffloadTarget target = OffloadTarget.Executors, ExecutorPool pool = ExecutorPool.Blocking)
    {
        TwinTakesToken = twinTakesToken;
        Fixes = fixes;
        Name = name;
        Token = token;
        Target = target;
        Pool = pool;
    }

    public FixPlan(FixKind fix, string? name = null, string? token = null, bool twinTakesToken = false)
        : this(ImmutableArray.Create(fix), name, token, twinTakesToken)
    {
    }

    /// <summary>Await <paramref name="twin"/> instead of the call, with the arguments it bound with.</summary>
    public static FixPlan AwaitTwin(AsyncTwin twin, string? token) =>
        new FixPlan(FixKind.AwaitTwin, twin.Method.Name, token, twin.ForwardsToken).WithArguments(twin.Arguments);

    /// <summary>The rewrites offered, each as its own code action, in order of preference.</summary>
    public ImmutableArray<FixKind> Fixes { get; private set; }

    /// <summary>The method the rewritten call uses (the twin, <c>Delay</c>, <c>WaitOneAsync</c>, <c>ForEachAsync</c>).</summary>
    public string? Name { get; }

    /// <summary>
    /// The single <c>CancellationToken</c> in scope. <c>Task.Delay</c>, <c>WaitOneAsync</c> and the offloading rewrites
    /// pass it when present; <see cref="FixKind.AwaitTwin"/> appends it only when <see cref="TwinTakesToken"/>.
    /// </summary>
    public string? Token { get; private set; }

    /// <summary>The twin binds with the token appended (<c>ReadAsync(buffer, token)</c>).</summary>
    public bool TwinTakesToken { get; }

    /// <summary>
    /// For a call written with <c>?.</c>: what to await when the receiver is null (<c>Task.CompletedTask</c> or
    /// <c>default</c> for a <c>ValueTask</c>): <c>await (x?.WriteAsync(…) ?? Task.CompletedTask)</c>.
    /// </summary>
    public string? NullFallback { get; private set; }

    /// <summary>
    /// The twin's argument list (without the forwarded token) when it is not the call's own: <c>in</c> dropped,
    /// <c>AsSpan</c> → <c>AsMemory</c>, a natural value added (<c>LoadOptions.None</c>). The analyzer bound exactly this
    /// text, so the fix writes exactly it.
    /// </summary>
    public string? Arguments { get; private set; }

    /// <summary>The rewritten call is a <c>ValueTask</c> where a <c>Task</c> is needed: append <c>.AsTask()</c>.</summary>
    public bool AsTask { get; private set; }

    /// <summary>What offloading rewrites write: the runtime's executors or <c>Task.Run</c>.</summary>
    public OffloadTarget Target { get; private set; }

    /// <summary>The executor offloading rewrites target.</summary>
    public ExecutorPool Pool { get; private set; }

    /// <summary>The name of a parameter the rewrite introduces (the <c>CancellationToken</c> of an async loop body).</summary>
    public string? Parameter { get; private set; }

    /// <summary>
    /// For a rewrite of a whole construct (<see cref="FixKind.ParallelAsync"/>): the calls inside it that are rewritten
    /// with it, each at its span relative to the start of the construct, each with its own plan.
    /// </summary>
    public ImmutableArray<InnerEdit> Inner { get; private set; } = ImmutableArray<InnerEdit>.Empty;

    /// <summary>
    /// <c>Task.Delay(x, token)</c> is awaited with <c>ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)</c>: a
    /// cancelled delay ends the wait early without an exception, and the loop's own check of the token ends the loop.
    /// </summary>
    public bool SuppressThrowing { get; private set; }

    /// <summary>
    /// The enclosing <c>void</c> method may become <c>async Task</c> for the await the rewrite adds: nothing fixes its
    /// signature (no override, interface, virtual or partial method) and no method group of it exists.
    /// </summary>
    public bool VoidToTask { get; private set; }

    /// <summary>The same plan, allowed to make its <c>void</c> method <c>async Task</c>.</summary>
    public FixPlan WithVoidToTask() => Copy(p => p.VoidToTask = true);

    /// <summary>The same plan with a delay that does not throw when cancelled.</summary>
    public FixPlan WithSuppressThrowing() => Copy(p => p.SuppressThrowing = true);

    /// <summary>One piece of a thread's conversion (<see cref="ThreadPiece"/>), with the text it needs (<see cref="Arguments"/>).</summary>
    public static FixPlan Piece(FixKind kind, ThreadPiece piece, string? arguments = null, OffloadTarget target = OffloadTarget.Executors) =>
        new FixPlan(ImmutableArray.Create(kind), piece.ToString(), target: target, pool: ExecutorPool.Compute).WithArguments(arguments);

    /// <summary>The piece this inner plan stands for, when it is one.</summary>
    public ThreadPiece? PieceOf() =>
        Fixes.Length == 1 && Fixes[0] is FixKind.ThreadToTask or FixKind.ThreadsToParallel && Enum.TryParse<ThreadPiece>(Name, out var piece) ? piece : null;

    /// <summary>The same plan for a call written with <c>?.</c>.</summary>
    public FixPlan WithNullFallback(string? fallback) => Copy(p => p.NullFallback = fallback);

    /// <summary>The same plan with the twin's own argument list.</summary>
    public FixPlan WithArguments(string? arguments) => Copy(p => p.Arguments = arguments);

    /// <summary>The same plan with other rewrites (and, for <see cref="FixKind.UnwrapTaskRun"/>, <c>.AsTask()</c>).</summary>
    public FixPlan WithFixes(ImmutableArray<FixKind> fixes, bool asTask = false) => Copy(p =>
    {
        p.Fixes = fixes;
        p.AsTask = asTask;
    });

    /// <summary>The same plan with an offloading action added after the others.</summary>
    public FixPlan WithOffload(FixKind offload, OffloadTarget target, ExecutorPool pool) => Copy(p =>
    {
        p.Fixes = Fixes.Add(offload);
        p.Target = target;
        p.Pool = pool;
    });

    /// <summary>The same plan passing another token (the parameter of the async body the call moves into).</summary>
    public FixPlan WithToken(string? token) => Copy(p => p.Token = token);

    /// <summary>The same plan with the edits inside its target and the parameter they use.</summary>
    public FixPlan WithInner(string parameter, ImmutableArray<InnerEdit> inner) => Copy(p =>
    {
        p.Parameter = parameter;
        p.Inner = inner;
    });

    private FixPlan Copy(Action<FixPlan> change)
    {
        var copy = (FixPlan)MemberwiseClone();
        change(copy);
        return copy;
    }

    public ImmutableDictionary<string, string?> Encode()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        EncodeInto(builder, string.Empty);
        return builder.ToImmutable();
    }

    private void EncodeInto(ImmutableDictionary<string, string?>.Builder builder, string prefix)
    {
        builder[prefix + FixesKey] = string.Join(",", Fixes);
        if (Name is not null)
            builder[prefix + NameKey] = Name;
        if (Token is not null)
            builder[prefix + TokenKey] = Token;
        if (TwinTakesToken)
            builder[prefix + TwinTokenKey] = "true";
        if (NullFallback is not null)
            builder[prefix + NullFallbackKey] = NullFallback;
        if (Arguments is not null)
            builder[prefix + ArgumentsKey] = Arguments;
        if (AsTask)
            builder[prefix + AsTaskKey] = "true";
        if (SuppressThrowing)
            builder[prefix + SuppressThrowingKey] = "true";
        if (VoidToTask)
            builder[prefix + VoidToTaskKey] = "true";
        if (Fixes.Contains(FixKind.OffloadCall) || Fixes.Contains(FixKind.OffloadStatements) || Fixes.Contains(FixKind.ThreadToTask))
        {
            builder[prefix + TargetKey] = Target.ToString();
            builder[prefix + PoolKey] = Pool.ToString();
        }

        if (Parameter is not null)
            builder[prefix + ParameterKey] = Parameter;
        if (!Inner.IsEmpty)
        {
            builder[prefix + InnerCountKey] = Inner.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < Inner.Length; i++)
            {
                var inner = prefix + InnerCountKey + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
                builder[inner + InnerSpanKey] = Inner[i].Start.ToString(System.Globalization.CultureInfo.InvariantCulture) + "," + Inner[i].Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Inner[i].Plan.EncodeInto(builder, inner);
            }
        }
    }

    /// <summary>The plan of a diagnostic, or <see langword="null"/> when it has none (or it was written by another version).</summary>
    public static FixPlan? Decode(ImmutableDictionary<string, string?> properties) => DecodeFrom(properties, string.Empty);

    private static FixPlan? DecodeFrom(ImmutableDictionary<string, string?> properties, string prefix)
    {
        if (!properties.TryGetValue(prefix + FixesKey, out var raw) || string.IsNullOrEmpty(raw))
            return null;
        var fixes = ImmutableArray.CreateBuilder<FixKind>();
        foreach (var part in raw!.Split(','))
        {
            if (!Enum.TryParse<FixKind>(part, out var kind))
                return null;
            fixes.Add(kind);
        }

        properties.TryGetValue(prefix + NameKey, out var name);
        properties.TryGetValue(prefix + TokenKey, out var token);
        var target = properties.TryGetValue(prefix + TargetKey, out var t) && Enum.TryParse<OffloadTarget>(t, out var parsedTarget) ? parsedTarget : OffloadTarget.Executors;
        var pool = properties.TryGetValue(prefix + PoolKey, out var p) && Enum.TryParse<ExecutorPool>(p, out var parsedPool) ? parsedPool : ExecutorPool.Blocking;
        var twinTakesToken = properties.TryGetValue(prefix + TwinTokenKey, out var twinToken) && twinToken == "true";
        properties.TryGetValue(prefix + NullFallbackKey, out var nullFallback);
        properties.TryGetValue(prefix + ArgumentsKey, out var arguments);
        properties.TryGetValue(prefix + ParameterKey, out var parameter);
        var asTask = properties.TryGetValue(prefix + AsTaskKey, out var a) && a == "true";
        var suppressThrowing = properties.TryGetValue(prefix + SuppressThrowingKey, out var st) && st == "true";
        var voidToTask = properties.TryGetValue(prefix + VoidToTaskKey, out var vt) && vt == "true";
        var inner = ImmutableArray<InnerEdit>.Empty;
        if (properties.TryGetValue(prefix + InnerCountKey, out var countText) && int.TryParse(countText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            var edits = ImmutableArray.CreateBuilder<InnerEdit>(count);
            for (var i = 0; i < count; i++)
            {
                var innerPrefix = prefix + InnerCountKey + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
                if (!properties.TryGetValue(innerPrefix + InnerSpanKey, out var span) || span is null
                    || span.Split(',') is not { Length: 2 } parts
                    || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)
                    || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
                    || DecodeFrom(properties, innerPrefix) is not { } innerPlan)
                    return null; // written by another version: no fix rather than half of one
                edits.Add(new InnerEdit(start, length, innerPlan));
            }

            inner = edits.MoveToImmutable();
        }

        return new FixPlan(fixes.ToImmutable(), name, token, twinTakesToken, target, pool)
        {
            NullFallback = nullFallback, Arguments = arguments, AsTask = asTask, Parameter = parameter, Inner = inner,
            SuppressThrowing = suppressThrowing, VoidToTask = voidToTask,
        };
    }

    public override string ToString() => string.Join(",", Fixes) + (Name is null ? string.Empty : " " + Name);
}

/// <summary>A call rewritten as part of a larger rewrite: where it is, relative to the larger target's start, and how.</summary>
internal readonly struct InnerEdit
{
    public InnerEdit(int start, int length, FixPlan plan)
    {
        Start = start;
        Length = length;
        Plan = plan;
    }

    public int Start { get; }

    public int Length { get; }

    public FixPlan Plan { get; }
}
