using System;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>Which types are tasks, for the executors that refuse or await them.</summary>
internal static class Awaitables
{
    /// <summary><c>Task</c> and its subclasses, <c>ValueTask</c>, <c>ValueTask&lt;T&gt;</c>.</summary>
    public static bool IsTaskOrValueTask(Type type) =>
        typeof(Task).IsAssignableFrom(type)
        || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>));
}
