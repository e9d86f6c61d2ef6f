using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Whether a method is used anywhere as a method group (converted to a delegate, <c>nameof</c> aside), which a change of
/// its return type would break. Searched by name first — the trees of the declaring type for a private method, every
/// tree of the compilation otherwise — and bound only where the name is written without a call; asked only for methods
/// a rule reports.
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
        var trees = method.DeclaredAccessibility == Accessibility.Private
            ? method.ContainingType.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).Distinct()
            : analysis.Compilation.SyntaxTrees;
        foreach (var tree in trees)
        {
            var root = tree.GetRoot(cancellationToken);
            SemanticModel? model = null;
            foreach (var token in root.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != method.Name || token.Parent is not SimpleNameSyntax name)
                    continue;
                ExpressionSyntax written = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (written.Parent is InvocationExpressionSyntax call && call.Expression == written)
                    continue; // a call: it compiles with Task as well
                if (written.Parent is ConditionalAccessExpressionSyntax || name.Parent is MemberBindingExpressionSyntax { Parent: InvocationExpressionSyntax })
                    continue;
                model ??= analysis.ModelOf(tree);
                var info = model.GetSymbolInfo(written, cancellationToken);
                if (KnownSymbols.Eq(info.Symbol?.OriginalDefinition, method.OriginalDefinition)
                    || info.CandidateSymbols.Any(c => KnownSymbols.Eq(c.OriginalDefinition, method.OriginalDefinition)))
                    return true;
            }
        }

        return false;
    }
}
