using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Whether a method is used anywhere as a method group (converted to a delegate, <c>nameof</c> aside), which a change of
/// its return type would break. Found by name in an index of the names written without a call (built once per
/// compilation, on first need) — in the trees of the declaring type for a private method, everywhere otherwise — and
/// bound only there; asked only for methods a rule reports.
/// </summary>
internal static class MethodGroups
{
    /// <summary>Whether <c>void</c> → <c>Task</c> still compiles: nothing fixes the signature, and no method group of it becomes a <c>void</c> delegate.</summary>
    public static bool CanReturnTask(IMethodSymbol method, ConcurrencyAnalysis analysis, CancellationToken cancellationToken)
    {
        if (method.IsOverride || method.IsVirtual || method.IsAbstract || method.IsExtern || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || method.ExplicitInterfaceImplementations.Length > 0 || ImplementsInterface(method))
            return false;
        return !AnyUse(method, analysis, cancellationToken);
    }

    private static bool ImplementsInterface(IMethodSymbol method) =>
        method.ContainingType.AllInterfaces.SelectMany(i => i.GetMembers(method.Name)).Any(member =>
            KnownSymbols.Eq(method.ContainingType.FindImplementationForInterfaceMember(member), method));

    public static bool AnyUse(IMethodSymbol method, ConcurrencyAnalysis analysis, CancellationToken cancellationToken)
    {
        if (!analysis.NamesWrittenWithoutCall.Value.TryGetValue(method.Name, out var places))
            return false;
        var trees = method.DeclaredAccessibility == Accessibility.Private
            ? method.ContainingType.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).ToImmutableHashSet()
            : null;
        foreach (var written in places)
        {
            if (trees is not null && !trees.Contains(written.SyntaxTree))
                continue;
            var info = analysis.ModelOf(written.SyntaxTree).GetSymbolInfo(written, cancellationToken);
            if (KnownSymbols.Eq(info.Symbol?.OriginalDefinition, method.OriginalDefinition)
                || info.CandidateSymbols.Any(c => KnownSymbols.Eq(c.OriginalDefinition, method.OriginalDefinition)))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Every simple name of the compilation written where it is not called (<c>Handler</c> in <c>list.Add(Handler)</c>,
    /// <c>x.Handler</c> in <c>+= x.Handler</c>), by name: one walk of every tree, on first need, shared by every query.
    /// </summary>
    public static Dictionary<string, List<ExpressionSyntax>> IndexNamesWrittenWithoutCall(Compilation compilation, CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, List<ExpressionSyntax>>(System.StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var name in tree.GetRoot(cancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
            {
                ExpressionSyntax written = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (written.Parent is InvocationExpressionSyntax call && call.Expression == written)
                    continue; // a call: it compiles with Task as well
                if (name.Parent is MemberBindingExpressionSyntax { Parent: InvocationExpressionSyntax } || (name.Parent is MemberAccessExpressionSyntax outer && outer.Expression == name))
                    continue; // x?.M(), or the receiver of a member access
                if (!index.TryGetValue(name.Identifier.ValueText, out var list))
                    index[name.Identifier.ValueText] = list = new List<ExpressionSyntax>();
                list.Add(written);
            }
        }

        return index;
    }
}
