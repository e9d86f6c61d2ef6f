using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>
/// How arguments and results travel between the parent and its workers: System.Text.Json with fields included (so
/// tuples and field-only types arrive whole), the same options on both sides; and, before anything is sent, a check
/// that each type can make the round trip without losing data.
/// </summary>
internal static class WorkJson
{
    private static JsonSerializerOptions? _options;

    /// <summary>The options both sides use when no <see cref="ProcessExecutorOptions.SerializerContext"/> is set.</summary>
    public static JsonSerializerOptions Options
    {
        [RequiresUnreferencedCode("Reflection-based System.Text.Json.")]
        [RequiresDynamicCode("Reflection-based System.Text.Json.")]
        get => _options ??= CreateOptions();
    }

    private static readonly ConcurrentDictionary<Type, string?> Problems = new();

    [RequiresUnreferencedCode("Reflection-based System.Text.Json.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    private static JsonSerializerOptions CreateOptions()
    {
        // Fields travel (tuples, field-only types); NaN and the infinities travel as "NaN"/"Infinity", which the default
        // options refuse to write.
        var options = new JsonSerializerOptions { IncludeFields = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// Why a value of <paramref name="type"/> would not arrive as it was sent (a member that cannot be set, a type
    /// that cannot be created or serialized), or <see langword="null"/> when it can make the round trip.
    /// </summary>
    [RequiresUnreferencedCode("Walks the members of user types by reflection.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    public static string? FindLoss(Type type) =>
        Problems.GetOrAdd(type, static key => new ShapeCheck().Check(key));

    private static readonly ConcurrentDictionary<Type, bool> MayHoldDerivedTypes = new();

    /// <summary>
    /// Where a value holds an object of a class derived from the type its place declares (<c>List&lt;Animal&gt;</c> holding
    /// a <c>Dog</c>): System.Text.Json writes it as the declared type, so what only the derived class has is lost. Returns
    /// a description (<c>Zoo.Animals[0] is a Dog but travels as its declared type Animal</c>), or <see langword="null"/>.
    /// The walk runs only for types that can hold such a value at all (a place typed as a non-sealed class without
    /// [JsonDerivedType] somewhere below), decided once per type; most shapes skip it.
    /// </summary>
    [RequiresUnreferencedCode("Walks the members of user types by reflection.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    public static string? FindDerivedValue(object? value, Type declared)
    {
        if (value is null || !(IsOpenClass(declared) || MayHoldDerived(declared, new HashSet<Type>())))
            return null;
        return new DerivedWalk().Find(value, declared, ShapeCheck.Name(declared), 0);
    }

    [RequiresUnreferencedCode("Walks the members of user types by reflection.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    private static bool MayHoldDerived(Type type, HashSet<Type> seen)
    {
        if (MayHoldDerivedTypes.TryGetValue(type, out var known))
            return known;
        if (!seen.Add(type))
            return false; // a cycle: answered where it started
        var answer = Compute();
        if (seen.Count == 1)
            MayHoldDerivedTypes[type] = answer;
        return answer;

        bool Compute()
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            JsonTypeInfo info;
            try
            {
                info = Options.GetTypeInfo(type);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                return false;
            }

            switch (info.Kind)
            {
                case JsonTypeInfoKind.Enumerable:
                case JsonTypeInfoKind.Dictionary:
                    return ShapeCheck.ElementTypes(type).Any(e => IsOpenClass(e) || MayHoldDerived(e, seen));
                case JsonTypeInfoKind.Object:
                    return info.Properties.Any(p => IsOpenClass(p.PropertyType) || MayHoldDerived(p.PropertyType, seen));
                default:
                    return false;
            }
        }
    }

    /// <summary>A class a derived object can stand in for without the JSON saying so: not sealed, not polymorphic.</summary>
    [RequiresUnreferencedCode("Walks the members of user types by reflection.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    private static bool IsOpenClass(Type type) =>
        type.IsClass && !type.IsSealed && type != typeof(object) && !type.IsArray
        && Options.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Object, PolymorphismOptions: null };

    [RequiresUnreferencedCode("Walks the members of user types by reflection.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    private sealed class DerivedWalk
    {
        private readonly HashSet<object> _visited = new(ReferenceEqualityComparer.Instance);

        public string? Find(object? value, Type declared, string path, int depth)
        {
            if (value is null || depth > 64 || (!value.GetType().IsValueType && !_visited.Add(value)))
                return null;
            var actual = value.GetType();
            if (actual != declared && IsOpenClass(declared) && declared.IsAssignableFrom(actual))
                return $"{path} is a {ShapeCheck.Name(actual)} but travels as its declared type {ShapeCheck.Name(declared)}";
            var info = Options.GetTypeInfo(actual);
            switch (info.Kind)
            {
                case JsonTypeInfoKind.Dictionary when value is System.Collections.IDictionary dictionary:
                {
                    var valueType = ShapeCheck.ElementTypes(actual).LastOrDefault() ?? typeof(object);
                    foreach (System.Collections.DictionaryEntry entry in dictionary)
                    {
                        if (Find(entry.Value, valueType, $"{path}[{entry.Key}]", depth + 1) is { } found)
                            return found;
                    }

                    return null;
                }

                case JsonTypeInfoKind.Enumerable when value is System.Collections.IEnumerable items:
                {
                    var elementType = ShapeCheck.ElementTypes(actual).FirstOrDefault() ?? typeof(object);
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (Find(item, elementType, $"{path}[{index++}]", depth + 1) is { } found)
                            return found;
                    }

                    return null;
                }

                case JsonTypeInfoKind.Object:
                    foreach (var property in info.Properties)
                    {
                        if (property.Get is { } get && Find(get(value), property.PropertyType, path + "." + property.Name, depth + 1) is { } found)
                            return found;
                    }

                    return null;
                default:
                    return null;
            }
        }
    }

    /// <summary>The type a work method really produces: <c>T</c> for <c>Task&lt;T&gt;</c>, no type for <c>Task</c>.</summary>
    public static bool IsTask(Type type, out Type? resultType)
    {
        resultType = null;
        if (type == typeof(Task))
            return true;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            resultType = type.GetGenericArguments()[0];
            return true;
        }

        return false;
    }

    /// <summary>
    /// Awaitables a worker does not run to completion: ValueTask, task subclasses, async streams, and any type with a
    /// public <c>GetAwaiter()</c> (<c>Task.Yield()</c>'s, a custom awaitable), which would travel as an empty object.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "GetAwaiter is looked up on the work's declared return type, which the work method keeps.")]
    public static bool IsOtherAwaitable(Type type) =>
        !IsTask(type, out _)
        && (Awaitables.IsTaskOrValueTask(type)
            || (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
                && (definition == typeof(IAsyncEnumerable<>) || definition == typeof(IAsyncEnumerator<>)))
            || type.GetMethod("GetAwaiter", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null);

    /// <summary>
    /// Walks a type and the types of its members, collections and dictionaries, once each (reflection mode only: with a
    /// <see cref="ProcessExecutorOptions.SerializerContext"/>, the context is the contract).
    /// </summary>
    [RequiresUnreferencedCode("Walks the members of user types by reflection.")]
    [RequiresDynamicCode("Reflection-based System.Text.Json.")]
    private sealed class ShapeCheck
    {
        private readonly HashSet<Type> _seen = new();

        public string? Check(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!_seen.Add(type))
                return null;
            if (Unsupported(type) is { } reason)
                return $"{Name(type)} {reason}";
            if (type == typeof(object))
                return "object is read back as a JsonElement, not as the type that was sent; declare the real type";

            JsonTypeInfo info;
            try
            {
                info = Options.GetTypeInfo(type);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                return $"{Name(type)} cannot be serialized: {e.Message}";
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() is var collection
                && (collection == typeof(Stack<>) || collection == typeof(System.Collections.Concurrent.ConcurrentStack<>)))
                return $"{Name(type)} is written top first and read back pushing in that order, so it arrives reversed; send an array or a list";

            switch (info.Kind)
            {
                case JsonTypeInfoKind.Enumerable:
                case JsonTypeInfoKind.Dictionary:
                    // Elements (a dictionary's are its KeyValuePair<K, V>, whose key and value are checked).
                    return ElementTypes(type).Select(Check).FirstOrDefault(problem => problem is not null);
                case JsonTypeInfoKind.Object:
                    return CheckObject(type, info);
                default:
                    return null; // a value with its own converter: numbers, strings, enums, dates, custom converters
            }
        }

        private string? CheckObject(Type type, JsonTypeInfo info)
        {
            if (info.PolymorphismOptions is not null)
                return null; // [JsonPolymorphic]/[JsonDerivedType]: the JSON names the type to create
            if (type.IsInterface)
                return $"{Name(type)} is an interface: System.Text.Json cannot create one when it reads the JSON; declare a concrete type (or add [JsonDerivedType] to it)";
            if (type.IsAbstract)
                return $"{Name(type)} is abstract: System.Text.Json cannot create one when it reads the JSON; declare a concrete type (or add [JsonDerivedType] to it)";

            var constructor = DeserializationConstructor(type, out var ambiguous);
            if (ambiguous)
                return $"{Name(type)} has several public constructors and none is parameterless or marked [JsonConstructor], so System.Text.Json cannot create it";
            if (constructor is null && !type.IsValueType)
                return $"{Name(type)} has no public constructor, so System.Text.Json cannot create it";
            var parameters = new HashSet<string>(constructor?.GetParameters().Select(p => p.Name ?? "") ?? [], StringComparer.OrdinalIgnoreCase);

            if (info.Properties.Count == 0)
            {
                var hidden = type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Where(f => !f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))).Select(f => f.Name).ToArray();
                if (hidden.Length > 0)
                    return $"{Name(type)} has no public member System.Text.Json can see, so its state ({string.Join(", ", hidden)}) would not travel; expose it as public properties or fields";
            }

            // A struct System.Text.Json builds through a constructor it picks itself (KeyValuePair<K, V>'s key and value):
            // what any public constructor takes can be set again.
            var settableThrough = constructor is null && type.IsValueType
                ? new HashSet<string>(type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name ?? ""), StringComparer.OrdinalIgnoreCase)
                : parameters;
            if (HiddenState(type, info, settableThrough) is { Count: > 0 } state)
                return $"{Name(type)} keeps state in {string.Join(", ", state)}, which System.Text.Json does not write, so it would arrive as its default; " +
                       "expose it as a public property or field, mark it [JsonInclude], or mark it [JsonIgnore] if it need not travel";

            if (constructor is not null)
            {
                // STJ binds every constructor parameter to a member of the same name, and fails when reading otherwise.
                var members = new HashSet<string>(info.Properties.SelectMany(p => new[] { p.Name, (p.AttributeProvider as MemberInfo)?.Name ?? p.Name }), StringComparer.OrdinalIgnoreCase);
                if (constructor.GetParameters().FirstOrDefault(p => !members.Contains(p.Name ?? "")) is { } unbound)
                    return $"{Name(type)}'s constructor takes '{unbound.Name}', which matches no member System.Text.Json writes, so the JSON cannot be read back; name the parameter after a public property or field";
            }

            foreach (var property in info.Properties)
            {
                var memberName = (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;
                if (property.Get is not null && property.Set is null && IsStored(type, property.AttributeProvider as MemberInfo) && !parameters.Contains(memberName) && !parameters.Contains(property.Name))
                    return $"{Name(type)}.{memberName} is serialized but cannot be set when the JSON is read (no setter and no constructor parameter named '{memberName}'), so it would arrive as its default; give it a setter (init is enough) or a constructor parameter";
                if (Check(property.PropertyType) is { } inner)
                    return $"in {Name(type)}.{memberName}, {inner}";
            }

            return null;
        }

        /// <summary>
        /// Non-public instance fields (the base classes' included) that hold state the JSON does not carry: not the backing
        /// field of a written property, not a field named after a property reading can set (<c>_name</c> behind a settable
        /// <c>Name</c>, <c>m_Item1</c> behind <c>Item1</c> and a constructor's <c>item1</c>), not marked <c>[JsonInclude]</c> (written) or <c>[JsonIgnore]</c> (the type says it need not travel).
        /// </summary>
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Reflection mode only; the work's types are kept by the app that submits them.")]
        private static List<string> HiddenState(Type type, JsonTypeInfo info, HashSet<string> parameters)
        {
            var written = new HashSet<string>(info.Properties.Select(p => Bare((p.AttributeProvider as MemberInfo)?.Name ?? p.Name)), StringComparer.OrdinalIgnoreCase);
            // A field behind a written property travels only if reading can set it again: the property has a setter, or
            // the constructor takes a parameter of its name (Tuple<T>'s m_Item1 behind Item1 and item1).
            var settable = new HashSet<string>(info.Properties.Where(p => p.Set is not null).Select(p => Bare((p.AttributeProvider as MemberInfo)?.Name ?? p.Name)), StringComparer.OrdinalIgnoreCase);
            settable.UnionWith(parameters.Select(Bare));
            var hidden = new List<string>();
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.IsDefined(typeof(JsonIncludeAttribute)) || field.IsDefined(typeof(JsonIgnoreAttribute)))
                        continue;
                    var name = field.Name;
                    if (name.StartsWith('<') && name.IndexOf(">k__BackingField", StringComparison.Ordinal) is > 1 and var end)
                    {
                        var property = t.GetProperty(name[1..end], BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
                        if (written.Contains(name[1..end]) || (property?.IsDefined(typeof(JsonIgnoreAttribute)) ?? false))
                            continue;
                        hidden.Add(name[1..end]);
                        continue;
                    }

                    if (name.StartsWith('<') && name.EndsWith(">P", StringComparison.Ordinal) && name.Length > 3)
                    {
                        // A primary constructor's parameter the body keeps: state, unless a written member carries it.
                        if (!written.Contains(name[1..^2]))
                            hidden.Add(name[1..^2]);
                        continue;
                    }

                    if (!settable.Contains(Bare(name)))
                        hidden.Add(name);
                }
            }

            return hidden;
        }

        /// <summary>A member's name without the field prefixes conventions use: <c>_name</c>, <c>m_name</c>, <c>s_name</c>.</summary>
        private static string Bare(string name) =>
            name.StartsWith("m_", StringComparison.Ordinal) || name.StartsWith("s_", StringComparison.Ordinal) ? name[2..] : name.TrimStart('_');

        /// <summary>
        /// State the value would lose if the member is not set: a read-only field, or a get-only auto-property (it has
        /// a compiler-generated backing field). A computed property (<c>=&gt; A + B</c>) is serialized and then ignored
        /// when read, which loses nothing: the other side computes it again.
        /// </summary>
        private static bool IsStored(Type type, MemberInfo? member) => member switch
        {
            FieldInfo => true,
            PropertyInfo property => (property.DeclaringType ?? type).GetField("<" + property.Name + ">k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic) is not null,
            _ => false,
        };

        /// <summary>What a collection holds: an array's element type, or the arguments of its IEnumerable&lt;T&gt;.</summary>
        internal static IEnumerable<Type> ElementTypes(Type type)
        {
            if (type.IsArray)
                return [type.GetElementType()!];
            var enumerable = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
            if (enumerable is null)
                return [];
            var element = enumerable.GetGenericArguments()[0];
            return element.IsGenericType && element.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ? element.GetGenericArguments() : [element];
        }

        /// <summary>The constructor System.Text.Json uses: [JsonConstructor], else a public parameterless one, else a class's only public one.</summary>
        private static ConstructorInfo? DeserializationConstructor(Type type, out bool ambiguous)
        {
            ambiguous = false;
            var all = type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (all.FirstOrDefault(c => c.IsDefined(typeof(JsonConstructorAttribute))) is { } marked)
                return marked;
            var visible = all.Where(c => c.IsPublic).ToArray();
            if (visible.FirstOrDefault(c => c.GetParameters().Length == 0) is { } parameterless)
                return parameterless;
            if (type.IsValueType)
                return null; // a struct's default value
            if (visible.Length > 1)
                ambiguous = true;
            return visible.Length == 1 ? visible[0] : null;
        }

        private static string? Unsupported(Type type)
        {
            if (typeof(Delegate).IsAssignableFrom(type))
                return "is a delegate: code cannot travel as JSON";
            if (Awaitables.IsTaskOrValueTask(type))
                return "is a task: a pending operation cannot travel as JSON; send its result";
            if (typeof(Stream).IsAssignableFrom(type))
                return "is a stream: it belongs to this process; send its bytes or a path";
            if (type == typeof(IntPtr) || type == typeof(UIntPtr) || type.IsPointer)
                return "is a native pointer, which means nothing in another process";
            if (type.IsByRefLike)
                return "is a ref struct (like Span<T>), which cannot be serialized; use an array";
            if (typeof(MemberInfo).IsAssignableFrom(type))
                return "is reflection metadata, which System.Text.Json does not serialize; send its name";
            if (type == typeof(CancellationToken) || type == typeof(CancellationTokenSource))
                return "is cancellation of this process; cancel the job with the token you pass to RunAsync instead";
            return null;
        }

        internal static string Name(Type type) => TypeNames.Display(type, full: true);
    }
}
