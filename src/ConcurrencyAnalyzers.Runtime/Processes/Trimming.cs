namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// Why the process executor's reflection is safe in a trimmed app, for the <c>UnconditionalSuppressMessage</c>
/// attributes that say so where it happens.
/// </summary>
internal static class Trimming
{
    /// <summary>Reflection-based System.Text.Json: reached only when the app allows it.</summary>
    public const string ReflectionJsonOnlyWhenEnabled =
        "Reached only without a SerializerContext, and Submit refuses that case up front when reflection-based serialization is disabled (JsonSerializer.IsReflectionEnabledByDefault is false in trimmed apps).";

    /// <summary>The worker finds the method (or context) the parent named by token in the same, identically trimmed, assembly.</summary>
    public const string ResolvedFromTheSameBuild =
        "The parent referenced this method or type statically (a method group, a lambda, the context it was given), so the trimmer kept it; the worker runs the same trimmed files (their module version ids must match) and resolves it by its token.";

    /// <summary>Compiler-generated lambda holders.</summary>
    public const string LambdaHolder =
        "A compiler-generated lambda holder: the fields a closure captures are used by the kept lambda body, so the trimmer keeps them; a holder without fields has nothing to keep.";
}
