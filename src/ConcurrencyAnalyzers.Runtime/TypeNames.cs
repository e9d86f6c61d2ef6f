using System;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>Types as C# writes them, for messages: <c>Task&lt;Int32&gt;</c>, not <c>Task`1</c>.</summary>
internal static class TypeNames
{
    /// <summary>The type's name with its type arguments, namespaces included when <paramref name="full"/>.</summary>
    public static string Display(Type type, bool full)
    {
        var name = full ? type.FullName ?? type.Name : type.Name;
        if (!type.IsGenericType)
            return name;
        if (full)
            name = type.GetGenericTypeDefinition().FullName ?? type.Name;
        var tick = name.IndexOf('`');
        var arguments = type.GetGenericArguments();
        var shown = new string[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
            shown[i] = Display(arguments[i], full);
        return (tick < 0 ? name : name.Substring(0, tick)) + "<" + string.Join(", ", shown) + ">";
    }
}
