using System;
#if NET8_0_OR_GREATER
using System.Diagnostics.CodeAnalysis;
#endif
using ConcurrencyAnalyzers.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ConcurrencyAnalyzers executors in a <see cref="IServiceCollection"/>.</summary>
public static class ConcurrencyExecutorsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConcurrencyExecutors"/> and each executor as a singleton: the compute and blocking
    /// <see cref="ThreadExecutor"/>s (keyed <see cref="ConcurrencyExecutors.ComputeKey"/> and
    /// <see cref="ConcurrencyExecutors.BlockingKey"/>), the <see cref="AsyncExecutor"/> and, on .NET 8+, the
    /// <c>ProcessExecutor</c> (which logs through the container's <see cref="ILoggerFactory"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options (after any configuration binding); <see langword="null"/> for none.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddConcurrencyExecutors(this IServiceCollection services, Action<ConcurrencyExecutorsOptions>? configure)
    {
        if (services is null)
            throw new ArgumentNullException(nameof(services));
        var options = services.AddOptions<ConcurrencyExecutorsOptions>();
        if (configure is not null)
            options.Configure(configure);
        // Every executor's options are checked when the host starts, each failure named by its executor, instead of
        // surfacing at the first resolution of one executor.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConcurrencyExecutorsOptions>, ExecutorOptionsValidation>());
        options.ValidateOnStart();
        services.TryAddSingleton(static provider => new ConcurrencyExecutors(
            provider.GetRequiredService<IOptions<ConcurrencyExecutorsOptions>>().Value,
            provider.GetService<ILoggerFactory>()));
        services.TryAddKeyedSingleton(ConcurrencyExecutors.ComputeKey, static (provider, _) => provider.GetRequiredService<ConcurrencyExecutors>().Compute);
        services.TryAddKeyedSingleton(ConcurrencyExecutors.BlockingKey, static (provider, _) => provider.GetRequiredService<ConcurrencyExecutors>().Blocking);
        services.TryAddSingleton(static provider => provider.GetRequiredService<ConcurrencyExecutors>().Io);
#if NET8_0_OR_GREATER
        services.TryAddSingleton(static provider => provider.GetRequiredService<ConcurrencyExecutors>().Process);
#endif
        return services;
    }

    /// <summary>
    /// Registers the executors as <see cref="AddConcurrencyExecutors(IServiceCollection, Action{ConcurrencyExecutorsOptions})"/>
    /// does, with options bound from <paramref name="configuration"/> (for example
    /// <c>builder.Configuration.GetSection("ConcurrencyExecutors")</c>, with <c>Compute</c>, <c>Blocking</c>, <c>Io</c> and
    /// <c>Process</c> sub-sections).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
#if NET8_0_OR_GREATER
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The configuration binder reflects over the options types only, and DynamicDependency keeps all their members.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ConcurrencyExecutorsOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ThreadExecutorOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(AsyncExecutorOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ProcessExecutorOptions))]
#endif
    public static IServiceCollection AddConcurrencyExecutors(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration is null)
            throw new ArgumentNullException(nameof(configuration));
        // A misspelled key (Io:MaxConcurency) is an error naming the key, not a setting silently ignored.
        services.AddOptions<ConcurrencyExecutorsOptions>().Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        return services.AddConcurrencyExecutors(configure: null);
    }
}

/// <summary>The start-up check of every executor's options, with one message per invalid option.</summary>
internal sealed class ExecutorOptionsValidation : IValidateOptions<ConcurrencyExecutorsOptions>
{
    public ValidateOptionsResult Validate(string? name, ConcurrencyExecutorsOptions options)
    {
        var failures = ConcurrencyExecutors.Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
