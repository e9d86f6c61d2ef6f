using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The values the compilation passes for one parameter of a method nobody outside it can call: every call of the method
/// (or of the method it overrides, or of its overrides) in source, bound through each tree's model. The call syntax is
/// indexed by name once per compilation, on first need; each (method, parameter) answer is memoized.
/// A method that implements members of interfaces nobody outside the assembly can see takes the arguments of the calls
/// through those members too (<c>IChunkReader.Read(buffer)</c> reaches <c>ChunkReader.Read</c>).
/// <see langword="null"/> when other callers may exist: a method visible outside the assembly, one that implements a
/// visible interface, one written somewhere without a call (a method group: its callers are unknown), or a parameter
/// some call leaves to its default.
/// </summary>
internal sealed class CallSites
{
    private readonly Compilation _compilation;
    private readonly System.Func<SyntaxTree, SemanticModel> _modelOf;
    private readonly System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>> _implementationsOf;
    private readonly System.Lazy<Dictionary<string, List<ExpressionSyntax>>> _namesWithoutCall;
    private readonly System.Lazy<Dictionary<string, List<InvocationExpressionSyntax>>> _calls;
    private readonly ConcurrentDictionary<(IMethodSymbol, int), IReadOnlyList<IOperation>?> _arguments = new();

    public CallSites(Compilation compilation, System.Func<SyntaxTree, SemanticModel> modelOf, System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>> implementationsOf,
        System.Lazy<Dictionary<string, List<ExpressionSyntax>>> namesWithoutCall)
    {
        _compilation = compilation;
        _modelOf = modelOf;
        _implementationsOf = implementationsOf;
        _namesWithoutCall = namesWithoutCall;
        _calls = new System.Lazy<Dictionary<string, List<InvocationExpressionSyntax>>>(Index);
    }

    /// <summary>The argument of every source call for <paramref name="parameter"/>, or <see langword="null"/> when not all callers are known.</summary>
    public IReadOnlyList<IOperation>? ArgumentsFor(IParameterSymbol parameter)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || parameter.RefKind != RefKind.None)
            return null;
        return _arguments.GetOrAdd((method.OriginalDefinition, parameter.Ordinal), key => Find(key.Item1, key.Item2));
    }

    private IReadOnlyList<IOperation>? Find(IMethodSymbol method, int ordinal)
    {
        var root = method;
        while (root.OverriddenMethod is { } overridden)
            root = overridden.OriginalDefinition;
        if (!root.Locations.Any(l => l.IsInSource) || IsVisibleOutside(root) || _namesWithoutCall.Value.ContainsKey(method.Name)
            || ImplementedMembers(method) is not { } implemented)
            return null;
        var family = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { root, method };
        family.UnionWith(implemented);
        if (root.IsVirtual || root.IsAbstract)
            family.UnionWith(_implementationsOf(root).Select(m => m.OriginalDefinition));
        if (!_calls.Value.TryGetValue(method.Name, out var candidates))
            return null;
        var arguments = new List<IOperation>();
        foreach (var syntax in candidates)
        {
            if (_modelOf(syntax.SyntaxTree).GetOperation(syntax) is not IInvocationOperation call
                || !family.Contains(call.TargetMethod.OriginalDefinition))
                continue;
            var argument = call.Arguments.ForParameter(ordinal);
            if (argument is null || argument.ArgumentKind != ArgumentKind.Explicit)
                return null; // a default value or a params array: not a value we can judge
            arguments.Add(argument.Value);
        }

        return arguments.Count > 0 ? arguments : null;
    }

    /// <summary>Callable from another assembly: public or protected, in types that are all public (InternalsVisibleTo aside).</summary>
    private static bool IsVisibleOutside(IMethodSymbol method) =>
        method.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
        && IsVisibleOutside(method.ContainingType);

    private static bool IsVisibleOutside(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
                return false;
        }

        return true;
    }

    /// <summary>
    /// The interface members <paramref name="method"/> implements (empty for none); <see langword="null"/> when one of
    /// them belongs to an interface another assembly can see (and call through, or implement and pass anything).
    /// </summary>
    private static IReadOnlyList<IMethodSymbol>? ImplementedMembers(IMethodSymbol method)
    {
        var members = new List<IMethodSymbol>();
        foreach (var member in method.ExplicitInterfaceImplementations)
            members.Add(member.OriginalDefinition);
        foreach (var candidate in method.ContainingType.AllInterfaces.SelectMany(i => i.GetMembers(method.Name)).OfType<IMethodSymbol>())
        {
            if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(candidate)?.OriginalDefinition, method.OriginalDefinition))
                members.Add(candidate.OriginalDefinition);
        }

        return members.Any(m => IsVisibleOutside(m.ContainingType)) ? null : members;
    }

    private Dictionary<string, List<InvocationExpressionSyntax>> Index()
    {
        var index = new Dictionary<string, List<InvocationExpressionSyntax>>(System.StringComparer.Ordinal);
        foreach (var tree in _compilation.SyntaxTrees)
        {
            foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = call.Expression switch
                {
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                    _ => null,
                };
                if (name is null)
                    continue;
                if (!index.TryGetValue(name, out var list))
                    index[name] = list = new List<InvocationExpressionSyntax>();
                list.Add(call);
            }
        }

        return index;
    }
}
