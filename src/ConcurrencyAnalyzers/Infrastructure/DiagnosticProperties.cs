using System.Collections.Immutable;

namespace ConcurrencyAnalyzers;

/// <summary>
/// What an analyzer tells its fixer through <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>, so the fixer
/// never re-analyzes. A diagnostic without <see cref="Fix"/> has no safe fix.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>The rewrite to apply: one of the <see cref="FixKinds"/>.</summary>
    public const string Fix = "Fix";

    /// <summary>The name of the method the rewritten call uses (the async twin).</summary>
    public const string Name = "Name";

    /// <summary>The name of the <c>CancellationToken</c> to pass, when one is forwarded.</summary>
    public const string Token = "Token";

    public static ImmutableDictionary<string, string?> Create(string fix, string? name = null, string? token = null)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        builder[Fix] = fix;
        if (name is not null)
            builder[Name] = name;
        if (token is not null)
            builder[Token] = token;
        return builder.ToImmutable();
    }
}

/// <summary>The rewrites the blocking fixers know.</summary>
internal static class FixKinds
{
    /// <summary><c>t.Wait()</c>, <c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c> → <c>await t</c>.</summary>
    public const string AwaitTask = "AwaitTask";

    /// <summary><c>x.M(args)</c> → <c>await x.MAsync(args[, token])</c>; the name is in <see cref="DiagnosticProperties.Name"/>.</summary>
    public const string AwaitTwin = "AwaitTwin";

    /// <summary><c>Thread.Sleep(x)</c> → <c>await Task.Delay(x[, token])</c>.</summary>
    public const string Delay = "Delay";

    /// <summary><c>using</c> → <c>await using</c>.</summary>
    public const string AwaitUsing = "AwaitUsing";

    /// <summary><c>handle.WaitOne(args)</c> → <c>await handle.WaitOneAsync(args[, token])</c> from the runtime library.</summary>
    public const string WaitOneAsync = "WaitOneAsync";
}
