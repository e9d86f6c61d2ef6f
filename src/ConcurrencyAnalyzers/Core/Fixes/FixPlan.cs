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
    public ImmutableArray<FixKind> Fixes { get; }

    /// <summary>The method the rewritten call uses (the twin, <c>Delay</c>, <c>WaitOneAsync</c>).</summary>
    public string? Name { get; }

    /// <summary>
    /// The single <c>CancellationToken</c> in scope. <c>Task.Delay</c>, <c>WaitOneAsync</c> and the offloading rewrites
    /// pass it when present; <see cref="FixKind.AwaitTwin"/> appends it only when <see cref="TwinTakesToken"/>.
    /// </summary>
    public string? Token { get; }

    /// <summary>The twin binds with the token appended (<c>ReadAsync(buffer, token)</c>).</summary>
    public bool TwinTakesToken { get; }

    /// <summary>
    /// For a call written with <c>?.</c>: what to await when the receiver is null (<c>Task.CompletedTask</c> or
    /// <c>default</c> for a <c>ValueTask</c>): <c>await (x?.WriteAsync(…) ?? Task.CompletedTask)</c>.
    /// </summary>
    public string? NullFallback { get; private set; }

    /// <summary>The same plan for a call written with <c>?.</c>.</summary>
    public FixPlan WithNullFallback(string? fallback) => new(Fixes, Name, Token, TwinTakesToken, Target, Pool) { NullFallback = fallback, Arguments = Arguments };

    /// <summary>
    /// The twin's argument list (without the forwarded token) when it is not the call's own: <c>in</c> dropped,
    /// <c>AsSpan</c> → <c>AsMemory</c>, a natural value added (<c>LoadOptions.None</c>). The analyzer bound exactly this
    /// text, so the fix writes exactly it.
    /// </summary>
    public string? Arguments { get; private set; }

    /// <summary>The same plan with the twin's own argument list.</summary>
    public FixPlan WithArguments(string? arguments) => new(Fixes, Name, Token, TwinTakesToken, Target, Pool) { NullFallback = NullFallback, Arguments = arguments, AsTask = AsTask };

    /// <summary>The rewritten call is a <c>ValueTask</c> where a <c>Task</c> is needed: append <c>.AsTask()</c>.</summary>
    public bool AsTask { get; private set; }

    /// <summary>The same plan with other rewrites (and, for <see cref="FixKind.UnwrapTaskRun"/>, <c>.AsTask()</c>).</summary>
    public FixPlan WithFixes(ImmutableArray<FixKind> fixes, bool asTask = false) => new(fixes, Name, Token, TwinTakesToken, Target, Pool) { NullFallback = NullFallback, Arguments = Arguments, AsTask = asTask };

    /// <summary>What offloading rewrites write: the runtime's executors or <c>Task.Run</c>.</summary>
    public OffloadTarget Target { get; }

    /// <summary>The executor offloading rewrites target.</summary>
    public ExecutorPool Pool { get; }

    /// <summary>The same plan with an offloading action added after the others.</summary>
    public FixPlan WithOffload(FixKind offload, OffloadTarget target, ExecutorPool pool) => new FixPlan(Fixes.Add(offload), Name, Token, TwinTakesToken, target, pool) { NullFallback = NullFallback, Arguments = Arguments };

    public ImmutableDictionary<string, string?> Encode()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        builder[FixesKey] = string.Join(",", Fixes);
        if (Name is not null)
            builder[NameKey] = Name;
        if (Token is not null)
            builder[TokenKey] = Token;
        if (TwinTakesToken)
            builder[TwinTokenKey] = "true";
        if (NullFallback is not null)
            builder[NullFallbackKey] = NullFallback;
        if (Arguments is not null)
            builder[ArgumentsKey] = Arguments;
        if (AsTask)
            builder[AsTaskKey] = "true";
        if (Fixes.Contains(FixKind.OffloadCall) || Fixes.Contains(FixKind.OffloadStatements))
        {
            builder[TargetKey] = Target.ToString();
            builder[PoolKey] = Pool.ToString();
        }

        return builder.ToImmutable();
    }

    /// <summary>The plan of a diagnostic, or <see langword="null"/> when it has none (or it was written by another version).</summary>
    public static FixPlan? Decode(ImmutableDictionary<string, string?> properties)
    {
        if (!properties.TryGetValue(FixesKey, out var raw) || string.IsNullOrEmpty(raw))
            return null;
        var fixes = ImmutableArray.CreateBuilder<FixKind>();
        foreach (var part in raw!.Split(','))
        {
            if (!Enum.TryParse<FixKind>(part, out var kind))
                return null;
            fixes.Add(kind);
        }

        properties.TryGetValue(NameKey, out var name);
        properties.TryGetValue(TokenKey, out var token);
        var target = properties.TryGetValue(TargetKey, out var t) && Enum.TryParse<OffloadTarget>(t, out var parsedTarget) ? parsedTarget : OffloadTarget.Executors;
        var pool = properties.TryGetValue(PoolKey, out var p) && Enum.TryParse<ExecutorPool>(p, out var parsedPool) ? parsedPool : ExecutorPool.Blocking;
        var twinTakesToken = properties.TryGetValue(TwinTokenKey, out var twinToken) && twinToken == "true";
        properties.TryGetValue(NullFallbackKey, out var nullFallback);
        properties.TryGetValue(ArgumentsKey, out var arguments);
        var asTask = properties.TryGetValue(AsTaskKey, out var a) && a == "true";
        return new FixPlan(fixes.ToImmutable(), name, token, twinTakesToken, target, pool) { NullFallback = nullFallback, Arguments = arguments, AsTask = asTask };
    }

    public override string ToString() => string.Join(",", Fixes) + (Name is null ? string.Empty : " " + Name);

}
