using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// The identity of the method a work item runs, as a worker process can find it again: the assembly's name, the
/// module's version id (so a worker running a different build is caught) and the method's metadata token. Only a
/// static method, or a lambda that captures nothing, can cross a process boundary; anything else is rejected here, at
/// submit time, with the reason.
/// </summary>
internal sealed class WorkMethod
{
    private static readonly ConcurrentDictionary<MethodInfo, WorkMethod> Cache = new();

    private WorkMethod(MethodInfo method)
    {
        AssemblyName = method.Module.Assembly.FullName!;
        ModuleVersionId = method.Module.ModuleVersionId;
        MetadataToken = method.MetadataToken;
        DisplayName = Describe(method);
        ParameterType = method.GetParameters() is [var parameter, ..] ? parameter.ParameterType : typeof(void);
        ReturnType = method.ReturnType;
        ReturnsOtherAwaitable = WorkJson.IsOtherAwaitable(method.ReturnType);
    }

    /// <summary>The type the worker reads the argument as.</summary>
    public Type ParameterType { get; }

    /// <summary>What the method returns (a task for async work, which the worker awaits).</summary>
    public Type ReturnType { get; }

    /// <summary>It returns an awaitable a worker does not await (a ValueTask, an async stream): judged once per method.</summary>
    public bool ReturnsOtherAwaitable { get; }

    public string AssemblyName { get; }

    public Guid ModuleVersionId { get; }

    public int MetadataToken { get; }

    /// <summary><c>Type.Method</c>, for activities and messages.</summary>
    public string DisplayName { get; }

    /// <summary>The identity as one line (for an environment variable): assembly, module version id, token.</summary>
    public string ToIdentity() => AssemblyName + "|" + ModuleVersionId.ToString("N") + "|" + MetadataToken.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Validates that <paramref name="work"/> can run in another process and returns its identity.</summary>
    /// <exception cref="ArgumentException"><paramref name="work"/> captures state, or is generic, dynamic or multicast.</exception>
    public static WorkMethod From(Delegate work) => From(work, parameterCount: 1);

    /// <summary>As <see cref="From(Delegate)"/>, for a method of <paramref name="parameterCount"/> parameters (0: an initializer).</summary>
    public static WorkMethod From(Delegate work, int parameterCount)
    {
        if (work.GetInvocationList().Length != 1)
            throw new ArgumentException("The work is a multicast delegate; a worker process runs exactly one static method.", nameof(work));
        var method = work.Method;
        var target = work.Target;
        if (target is not null && !IsNonCapturingLambdaHolder(target.GetType(), method))
            throw new ArgumentException(CaptureMessage(target, method), nameof(work));
        if (target is null && (!method.IsStatic || method.GetParameters().Length != parameterCount))
            throw new ArgumentException($"The work '{Describe(method)}' is a delegate bound to its first argument; a worker process can only call a static method with the argument it is sent.", nameof(work));
        if (method.IsGenericMethod || method.DeclaringType is null || method.DeclaringType.ContainsGenericParameters || method.DeclaringType.IsGenericType)
            throw new ArgumentException($"The work '{Describe(method)}' is generic or declared in a generic type; a worker process can only find non-generic methods. Move it to a non-generic static class.", nameof(work));
        if (method is not { Module.Assembly.IsDynamic: false } || string.IsNullOrEmpty(method.Module.Assembly.FullName))
            throw new ArgumentException($"The work '{Describe(method)}' lives in a dynamic assembly, which a worker process cannot load.", nameof(work));
        return Cache.GetOrAdd(method, static m => new WorkMethod(m));
    }

    /// <summary>
    /// A lambda that captures nothing compiles to an instance method of a compiler-generated singleton with no fields;
    /// an equivalent instance can be made in the worker. A closure's display class has fields (the captured variables).
    /// </summary>
    private static bool IsNonCapturingLambdaHolder(Type type, MethodInfo method) => !method.IsStatic && IsFieldlessLambdaHolder(type);

    /// <summary>A compiler-generated class without instance fields: what holds lambdas that capture nothing.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Trimming.LambdaHolder)]
    internal static bool IsFieldlessLambdaHolder(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
        && type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length == 0;

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = Trimming.LambdaHolder)]
    private static string CaptureMessage(object target, MethodInfo method)
    {
        var type = target.GetType();
        if (type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            // The compiler keeps one closure per scope, shared by its lambdas, with cached delegates (<>9__N) beside
            // the variables and a link to an outer scope's closure (CS$<>8__locals): name the variables only.
            var captured = string.Join(", ", type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(f => !f.Name.StartsWith("<>9__", StringComparison.Ordinal))
                .Select(f => f.Name.Contains("__this", StringComparison.Ordinal) ? "this" : f.Name.Contains("<>8__locals", StringComparison.Ordinal) ? "variables of an enclosing scope" : f.Name)
                .Distinct());
            return $"The work is a closure over {captured} (the compiler shares one closure among the lambdas of a scope, so this may name variables this lambda does not use). " +
                   "A worker process is another process, where those variables do not exist. " +
                   "Pass what the work needs in its argument and make the lambda static (static x => ...).";
        }

        return $"The work '{Describe(method)}' is an instance method of {type.FullName}; a worker process cannot see that object. " +
               "Use a static method or a static lambda, and pass what it needs in its argument.";
    }

    private static string Describe(MethodInfo method) => (method.DeclaringType?.FullName ?? "?") + "." + method.Name;
}
