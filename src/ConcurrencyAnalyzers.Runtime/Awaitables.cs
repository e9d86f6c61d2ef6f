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

    /// <summary>The type as C# writes it, for messages: <c>Task&lt;Int32&gt;</c>, not <c>Task`1</c>.</summary>
    public static string DisplayName(Type type)
    {
        if (!type.IsGenericType)
            return type.Name;
        var name = type.Name;
        var tick = name.IndexOf('`');
        var arguments = type.GetGenericArguments();
        var shown = new string[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
            shown[i] = DisplayName(arguments[i]);
        return (tick < 0 ? name : name.Substring(0, tick)) + "<" + string.Join(", ", shown) + ">";
    }
}
