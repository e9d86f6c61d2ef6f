using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// What cannot cross to a worker process (CONC040), judged at compile time as the runtime's <c>ProcessExecutor</c>
/// judges at submit time — and further, where the runtime would accept the work but the value would not survive the
/// trip. The work must be a static method or a lambda that captures nothing, not generic, returning a value or a
/// <c>Task</c>/<c>Task&lt;T&gt;</c> (the worker awaits it); its argument and result travel as System.Text.Json with
/// fields included, the executor's options.
/// </summary>
internal static class ProcessBoundary
{
    private const int MaxDepth = 4;

    /// <summary>Why the work delegate cannot run in another process, or <see langword="null"/>.</summary>
    public static string? WorkProblem(IOperation work, ConcurrencyAnalysis analysis, int depth = 0)
    {
        work = work.WalkDownConversions();
        if (work is IDelegateCreationOperation creation)
            work = creation.Target.WalkDownConversions();
        switch (work)
        {
            case IAnonymousFunctionOperation lambda:
                var captured = Captures(lambda.Body, lambda.Syntax.Span);
                if (captured.Count > 0)
                    return "the lambda captures " + string.Join(", ", captured.Select(c => "'" + c + "'")) + (captured.Count == 1 ? ", which does not" : ", which do not") + " exist in the worker process; pass "
                        + (captured.Contains("this") ? "what it uses of 'this'" : captured.Count == 1 ? "it" : "them") + " in the argument and make the lambda static";
                if (InGenericContext(lambda.Symbol))
                    return "the lambda is declared in a generic method or type, which a worker process cannot find; move it to a static method of a non-generic class";
                if (IsAwaitable(lambda.Symbol.ReturnType, analysis) && !IsTask(lambda.Symbol.ReturnType, analysis))
                    return "the work returns '" + Display(lambda.Symbol.ReturnType) + "': a worker process awaits async work only when it returns Task or Task<T>; return a Task";
                return null;
            case IMethodReferenceOperation reference:
                var method = reference.Method;
                if (method.MethodKind == MethodKind.LocalFunction && !method.IsStatic
                    && analysis.SourceBodyOf(method, default) is { } localBody && method.DeclaringSyntaxReferences.FirstOrDefault() is { } declaration)
                {
                    // A local function that captures nothing is compiled to a static method, which the runtime accepts.
                    var local = Captures(localBody, declaration.Span);
                    if (local.Count > 0)
                        return "the local function '" + method.Name + "' captures " + string.Join(", ", local.Select(c => "'" + c + "'")) + ", which the worker process does not have; pass "
                            + (local.Count == 1 ? "it" : "them") + " in the argument and make the local function static";
                }
                else if (!method.IsStatic)
                    return "'" + method.Name + "' is an instance method, bound to an object the worker process cannot see; use a static method and pass what it needs in the argument";
                if (method.ReducedFrom is not null || (method.IsExtensionMethod && reference.Instance is not null))
                    return "'" + method.Name + "' is bound to its first argument; use the static method and pass that value in the argument";
                if (method.IsGenericMethod || InGenericContext(method))
                    return "'" + method.Name + "' is generic or declared in a generic type, which a worker process cannot find; use a non-generic static method";
                if (IsAwaitable(method.ReturnType, analysis) && !IsTask(method.ReturnType, analysis))
                    return "'" + method.Name + "' returns '" + Display(method.ReturnType) + "': a worker process awaits async work only when it returns Task or Task<T>; return a Task (or call .AsTask())";
                return null;
            case IBinaryOperation { Type.TypeKind: TypeKind.Delegate }:
                return "the work combines delegates (a multicast delegate); a worker process runs exactly one static method";
            case IInvocationOperation { TargetMethod: { Name: "Compile", ContainingType: var expressionType } } when Derives(expressionType, "System.Linq.Expressions.LambdaExpression"):
                return "the work is a compiled expression tree, a method made at run time in this process that a worker process cannot find; use a static lambda or method";
            case ILocalReferenceOperation { Local: var local } when work.SemanticModel is { } model && LocalWrites.IsCombined(local, model):
                return "the work combines delegates (a multicast delegate, '" + local.Name + " += …'); a worker process runs exactly one static method";
            case ILocalReferenceOperation { Local: var local } when depth < 3 && work.SemanticModel is { } model
                && LocalWrites.Of(local, model) is { Count: 1 } values && values[0] is { } only:
                // Func<string, int> work = "abc".AddLen; … RunAsync(work, …): a delegate local given one value, once.
                return WorkProblem(only, analysis, depth + 1);
            default:
                return null; // a delegate passed in or reassigned: what it holds is known at run time only
        }
    }

    /// <summary>
    /// An argument written as a type derived from the declared one (<c>RunAsync(static (Animal a) =&gt; …, new Dog())</c>):
    /// it travels as the declared type, so what only the derived type has is lost — the runtime rejects it at submit.
    /// Not when the declared type is polymorphic (<c>[JsonDerivedType]</c>) or governed by a serializer context.
    /// </summary>
    public static string? DerivedArgumentProblem(IOperation argument, ITypeSymbol declared, ISet<ITypeSymbol> governed)
    {
        if (argument.WalkDownConversions().Type is not INamedTypeSymbol actual || declared is not INamedTypeSymbol { TypeKind: TypeKind.Class } declaredClass
            || SymbolEqualityComparer.Default.Equals(actual, declared) || !KnownSymbols.InheritsFrom(actual.BaseType, declaredClass.OriginalDefinition)
            || governed.Contains(declared) || IsPolymorphic(declaredClass))
            return null;
        return "it is a '" + Display(actual) + "' but travels as its declared type '" + Display(declared) + "', so what only '" + Display(actual)
            + "' has would be lost; declare the work with '" + Display(actual) + "' or mark '" + Display(declared) + "' [JsonDerivedType]";
    }

    /// <summary>The variables (and <c>this</c>) a lambda reads from outside itself, in source order, once each.</summary>
    private static List<string> Captures(IOperation body, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var names = new List<string>();
        void Add(string name)
        {
            if (!names.Contains(name))
                names.Add(name);
        }

        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case ILocalReferenceOperation local when !local.Local.IsConst && !Declared(local.Local, span):
                    Add(local.Local.Name);
                    break;
                case IParameterReferenceOperation parameter when !Declared(parameter.Parameter, span):
                    Add(parameter.Parameter.Name);
                    break;
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    Add("this");
                    break;
            }
        }

        return names;
    }

    private static bool Declared(ISymbol symbol, Microsoft.CodeAnalysis.Text.TextSpan span) =>
        symbol.DeclaringSyntaxReferences.Any(r => span.Contains(r.Span));

    private static bool InGenericContext(IMethodSymbol method)
    {
        for (ISymbol? symbol = method; symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (symbol is IMethodSymbol { IsGenericMethod: true } or INamedTypeSymbol { IsGenericType: true })
                return true;
        }

        return false;
    }

    /// <summary>A task-like type, or any type with a public <c>GetAwaiter()</c> (<c>Task.Yield()</c>'s awaitable, a custom one).</summary>
    private static bool IsAwaitable(ITypeSymbol type, ConcurrencyAnalysis analysis)
    {
        if (analysis.Symbols.IsTaskLike(type))
            return true;
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.GetMembers("GetAwaiter").Any(m => m is IMethodSymbol { IsStatic: false, Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public }))
                return true;
        }

        return false;
    }

    /// <summary><c>Task</c> or <c>Task&lt;T&gt;</c>: what the executor's async overloads take and a worker awaits.</summary>
    private static bool IsTask(ITypeSymbol type, ConcurrencyAnalysis analysis) =>
        SymbolEqualityComparer.Default.Equals(type, analysis.Symbols.Tasks.Task)
        || (analysis.Symbols.Tasks.TaskOfT is { } taskOfT && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, taskOfT));

    /// <summary>
    /// Why a value of <paramref name="type"/> would not survive System.Text.Json's round trip with default options, or
    /// <see langword="null"/>: types it refuses (delegates, tasks, streams, pointers, <c>Type</c>), values it cannot
    /// rebuild (interfaces and abstract classes, no usable constructor, get-only members), values it drops silently
    /// (tuples and other fields), and <c>object</c> (it arrives as a <c>JsonElement</c>). Properties are followed a few
    /// levels deep.
    /// </summary>
    /// <param name="governed">Types a source-generated <c>JsonSerializerContext</c> of the compilation names: their
    /// serialization is the context's (fields included, converters), which the executor may be given; not judged.</param>
    public static string? ValueProblem(ITypeSymbol type, ConcurrencyAnalysis analysis, ISet<ITypeSymbol> governed) =>
        governed.Contains(type) ? null : ValueProblem(type, analysis, new HashSet<ITypeSymbol>(governed, SymbolEqualityComparer.Default), 0);

    /// <summary>Every type named by <c>[JsonSerializable(typeof(T))]</c> on a class of the compilation.</summary>
    public static ISet<ITypeSymbol> ContextTypes(Compilation compilation)
    {
        var types = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in SourceImplementations.SourceTypes(compilation))
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "JsonSerializableAttribute" && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is ITypeSymbol named)
                    types.Add(named);
            }
        }

        return types;
    }

    private static string? ValueProblem(ITypeSymbol type, ConcurrencyAnalysis analysis, HashSet<ITypeSymbol> seen, int depth)
    {
        if (depth > MaxDepth || !seen.Add(type))
            return null;
        if (type.SpecialType is SpecialType.System_Object)
            return "'object' arrives in the other process as a JsonElement, not as the value sent";
        if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
            return "'" + (type.SpecialType switch { SpecialType.System_IntPtr => "IntPtr", SpecialType.System_UIntPtr => "UIntPtr", _ => Display(type) }) + "' is an address in this process";
        if (type.TypeKind == TypeKind.Delegate)
            return "'" + Display(type) + "' is a delegate, which cannot be serialized";
        if (IsAwaitable(type, analysis))
            return "'" + Display(type) + "' is a task, which cannot be serialized";
        if (type.SpecialType != SpecialType.None || type.TypeKind == TypeKind.Enum || type.TypeKind == TypeKind.Dynamic)
            return type.TypeKind == TypeKind.Dynamic ? "'dynamic' arrives in the other process as a JsonElement" : null;
        if (type is IArrayTypeSymbol array)
            return array.Rank > 1 ? "'" + Display(type) + "' is a multi-dimensional array, which System.Text.Json cannot serialize; use a jagged array" : ValueProblem(array.ElementType, analysis, seen, depth + 1);
        if (type is not INamedTypeSymbol named)
            return null; // a type parameter: decided where it is instantiated
        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            return ValueProblem(named.TypeArguments[0], analysis, seen, depth + 1);
        if (IsKnownValue(named))
            return null;
        if (named.ToDisplayString() is "System.Numerics.BigInteger" || named.OriginalDefinition.ToDisplayString() is "System.Lazy<T>")
            return "'" + Display(type) + "' keeps its state in private fields System.Text.Json does not write, so it would arrive empty; send " + (named.Name == "Lazy" ? "its value" : "it as a string");
        if (named.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.Stack<T>" or "System.Collections.Concurrent.ConcurrentStack<T>")
            return "'" + Display(type) + "' is written top first and read back pushing in that order, so it arrives reversed; send an array or a list";
        if (Derives(named, "System.IO.Stream") || Derives(named, "System.Type") || Derives(named, "System.Reflection.MemberInfo") || Derives(named, "System.Threading.WaitHandle")
            || Derives(named, "System.Threading.Thread") || named.ToDisplayString() is "System.Threading.CancellationToken" or "System.Threading.CancellationTokenSource")
            return "'" + Display(type) + "' stands for something of this process, which cannot be serialized";
        if (Derives(named, "System.Exception"))
            return "'" + Display(type) + "' is an exception, whose state System.Text.Json does not round-trip; send its message or a record of what you need";
        if (named.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IAsyncEnumerable<T>" or "System.Collections.Generic.IAsyncEnumerator<T>")
            return "'" + Display(type) + "' is an async stream, which cannot be serialized; collect it into a list first";
        if (named.IsGenericType && named.TypeArguments.Length == 2 && named.Name is "Dictionary" or "IDictionary" or "IReadOnlyDictionary" or "SortedDictionary" or "ConcurrentDictionary" or "ImmutableDictionary"
            && !IsPropertyNameKey(named.TypeArguments[0]))
            return "'" + Display(named.TypeArguments[0]) + "' cannot be a JSON property name, so a dictionary keyed by it cannot be serialized; key it by a string, a number, an enum or a Guid";
        if (named.IsTupleType)
            return named.TupleElements.Select(e => ValueProblem(e.Type, analysis, seen, depth + 1)).FirstOrDefault(p => p is not null); // fields travel
        if (Collection(named) is { } element)
            return element.Length == 0 ? null : element.Select(e => ValueProblem(e, analysis, seen, depth + 1)).FirstOrDefault(p => p is not null);
        var polymorphic = IsPolymorphic(named);
        if (named.TypeKind == TypeKind.Interface && !polymorphic)
            return "'" + Display(type) + "' is an interface, which System.Text.Json cannot create on the other side; declare a concrete type or add [JsonDerivedType]";
        if (named.IsAbstract && !polymorphic)
            return "'" + Display(type) + "' is abstract, which System.Text.Json cannot create on the other side; declare a concrete type or add [JsonDerivedType]";
        if (named.IsRefLikeType)
            return "'" + Display(type) + "' is a ref struct";
        if (polymorphic)
            return null; // the JSON names the derived type to create

        var members = named.GetMembers().Where(m => !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared && !Ignored(m)
                                                  && m is IPropertySymbol { IsIndexer: false, GetMethod: not null } or IFieldSymbol { IsConst: false }).ToList();
        var constructor = named.TypeKind == TypeKind.Class ? DeserializationConstructor(named) : StructConstructor(named);
        if (named.TypeKind == TypeKind.Class && constructor is null)
            return "'" + Display(type) + "' has no public constructor System.Text.Json can call on the other side";
        if (members.Count == 0)
        {
            var hidden = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst && !f.IsImplicitlyDeclared && f.AssociatedSymbol is null
                && !Has(f, "JsonIncludeAttribute")).Select(f => f.Name).ToList();
            if (hidden.Count > 0)
                return "'" + Display(type) + "' has no public member System.Text.Json can see, so its state (" + string.Join(", ", hidden) + ") would not travel";
        }

        if (constructor is { Parameters.Length: > 0 }
            && constructor.Parameters.FirstOrDefault(p => !members.Any(m => string.Equals(m.Name, p.Name, System.StringComparison.OrdinalIgnoreCase))) is { } unbound)
            return "'" + Display(type) + "''s constructor takes '" + unbound.Name + "', which matches no member System.Text.Json writes, so the JSON cannot be read back; name the parameter after a public property or field";
        if (HiddenState(named, members, constructor) is { Count: > 0 } state)
            return "'" + Display(type) + "' keeps state in " + string.Join(", ", state) + ", which System.Text.Json does not write, so it would arrive as its default; expose it, mark it [JsonInclude], or mark it [JsonIgnore] if it need not travel";

        foreach (var member in members)
        {
            var (memberType, settable, stored) = member switch
            {
                IPropertySymbol property => (property.Type, property.SetMethod is { DeclaredAccessibility: Accessibility.Public }, IsAutoProperty(named, property)),
                IFieldSymbol field => (field.Type, !field.IsReadOnly, true),
                _ => (null!, true, false),
            };
            if (stored && !settable && !(constructor?.Parameters.Any(p => string.Equals(p.Name, member.Name, System.StringComparison.OrdinalIgnoreCase)) ?? false))
                return "'" + Display(type) + "." + member.Name + "' cannot be set when the JSON is read (no setter and no constructor parameter), so it arrives as its default";
            if (ValueProblem(memberType, analysis, seen, depth + 1) is { } problem)
                return "its member '" + member.Name + "': " + problem;
        }

        return null;
    }

    /// <summary>
    /// Non-public instance fields of a source type (its source base types' too) that the JSON does not carry: not the
    /// backing field of a written property, not named after a member reading can set (<c>_name</c> behind a settable
    /// <c>Name</c> or a constructor's <c>name</c>), not <c>[JsonInclude]</c> or <c>[JsonIgnore]</c> — as the runtime checks.
    /// </summary>
    private static List<string> HiddenState(INamedTypeSymbol type, List<ISymbol> members, IMethodSymbol? constructor)
    {
        var settable = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        foreach (var member in members)
        {
            if (member is IPropertySymbol { SetMethod.DeclaredAccessibility: Accessibility.Public } or IFieldSymbol { IsReadOnly: false })
                settable.Add(Bare(member.Name));
        }

        foreach (var parameter in constructor?.Parameters ?? System.Collections.Immutable.ImmutableArray<IParameterSymbol>.Empty)
            settable.Add(Bare(parameter.Name));
        var hidden = new List<string>();
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType) && t.Locations.Any(l => l.IsInSource); t = t.BaseType)
        {
            foreach (var field in t.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst || field.DeclaredAccessibility == Accessibility.Public
                    || OptedInOrOut(field))
                    continue;
                if (field.AssociatedSymbol is IPropertySymbol property)
                {
                    // A written property's backing field is judged with the property; a non-public one's is hidden state.
                    if (property.DeclaredAccessibility != Accessibility.Public && !OptedInOrOut(property))
                        hidden.Add(property.Name);
                    continue;
                }

                if (!field.IsImplicitlyDeclared && !settable.Contains(Bare(field.Name)))
                    hidden.Add(field.Name);
            }
        }

        return hidden;
    }

    private static string Bare(string name) =>
        name.StartsWith("m_", System.StringComparison.Ordinal) || name.StartsWith("s_", System.StringComparison.Ordinal) ? name.Substring(2) : name.TrimStart('_');

    /// <summary>A get-only property with a compiler-made backing field: state, not a value computed from other members.</summary>
    private static bool IsAutoProperty(INamedTypeSymbol type, IPropertySymbol property) =>
        type.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

    private static bool Ignored(ISymbol member) => Has(member, "JsonIgnoreAttribute");

    /// <summary>Marked <c>[JsonInclude]</c> (it travels) or <c>[JsonIgnore]</c> (the type says it need not).</summary>
    private static bool OptedInOrOut(ISymbol member) => Has(member, "JsonIncludeAttribute") || Has(member, "JsonIgnoreAttribute");

    private static bool Has(ISymbol symbol, string attribute) => symbol.GetAttributes().Any(a => a.AttributeClass?.Name == attribute);

    /// <summary><c>[JsonDerivedType]</c>/<c>[JsonPolymorphic]</c>: the JSON names the type to create.</summary>
    private static bool IsPolymorphic(INamedTypeSymbol type) => Has(type, "JsonDerivedTypeAttribute") || Has(type, "JsonPolymorphicAttribute");

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    private static bool Derives(INamedTypeSymbol type, string fullName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == fullName)
                return true;
        }

        return false;
    }

    /// <summary>Values System.Text.Json knows as such: strings, dates, GUIDs, URIs, decimals, versions, JSON nodes.</summary>
    /// <summary>A dictionary key System.Text.Json writes as a property name: strings, numbers, enums, Guid, dates, and the like.</summary>
    private static bool IsPropertyNameKey(ITypeSymbol key) =>
        key.SpecialType != SpecialType.None || key.TypeKind is TypeKind.Enum or TypeKind.TypeParameter
        || key is INamedTypeSymbol named && IsKnownValue(named);

    private static bool IsKnownValue(INamedTypeSymbol type) =>
        type.ToDisplayString() is "System.DateTime" or "System.DateTimeOffset" or "System.TimeSpan" or "System.Guid" or "System.Uri" or "System.Version"
            or "System.DateOnly" or "System.TimeOnly" or "System.Half" or "System.Int128" or "System.UInt128" or "System.Text.Json.JsonElement"
            or "System.Text.Json.JsonDocument" or "System.Text.Json.Nodes.JsonNode" or "System.Text.Json.Nodes.JsonObject" or "System.Text.Json.Nodes.JsonArray";

    /// <summary>The element (or key and value) types of a collection System.Text.Json reads and writes, or <see langword="null"/>.</summary>
    private static ITypeSymbol[]? Collection(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString();
        if (type.IsGenericType && ns is "System.Collections.Generic" or "System.Collections.Immutable" or "System.Collections.ObjectModel" or "System.Collections.Concurrent")
            return type.TypeArguments.ToArray();
        if (ns == "System" && type.Name is "Memory" or "ReadOnlyMemory" && type.TypeArguments.Length == 1)
            return type.TypeArguments.ToArray();
        return null;
    }

    /// <summary>The constructor System.Text.Json uses for a class: [JsonConstructor], else a public parameterless one, else the only public one.</summary>
    private static IMethodSymbol? DeserializationConstructor(INamedTypeSymbol type)
    {
        var constructors = type.InstanceConstructors.Where(c => !c.IsStatic).ToList();
        var visible = constructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        return constructors.FirstOrDefault(c => Has(c, "JsonConstructorAttribute"))
               ?? visible.FirstOrDefault(c => c.Parameters.Length == 0)
               ?? (visible.Count == 1 ? visible[0] : null);
    }

    /// <summary>A struct's: [JsonConstructor], else its default value (no parameters).</summary>
    private static IMethodSymbol? StructConstructor(INamedTypeSymbol type) =>
        type.InstanceConstructors.FirstOrDefault(c => Has(c, "JsonConstructorAttribute"));
}
