using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Every value a local variable is given in the body that declares it: its initializer and each assignment, in source
/// order (<see langword="null"/> for a declaration without an initializer). <see langword="null"/> as a whole when the
/// local is written in a way whose value is not an operation: as a <c>ref</c>/<c>out</c> argument, by deconstruction,
/// by a compound assignment, or when it is a <c>foreach</c>, pattern or catch variable.
/// </summary>
internal static class LocalWrites
{
    public static IReadOnlyList<IOperation?>? Of(ILocalSymbol local, SemanticModel model)
    {
        if (ScopeOf(local, model) is not { } root)
            return null;
        var values = new List<IOperation?>();
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declared when SymbolEqualityComparer.Default.Equals(declared.Symbol, local):
                    values.Add(declared.Initializer?.Value);
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    if (assignment is ICompoundAssignmentOperation)
                        return null;
                    values.Add(assignment.Value);
                    break;
                case IDeconstructionAssignmentOperation deconstruction when deconstruction.Target.Descendants().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, local)):
                    return null;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed } when SymbolEqualityComparer.Default.Equals(passed.Local, local):
                    return null;
            }
        }

        return values;
    }

    /// <summary>Whether a delegate local is combined with another somewhere in its body (<c>work += Other;</c>).</summary>
    public static bool IsCombined(ILocalSymbol local, SemanticModel model)
    {
        return local.Type.TypeKind == TypeKind.Delegate && ScopeOf(local, model) is { } root
            && root.Descendants().OfType<ICompoundAssignmentOperation>().Any(c => c.OperatorKind == BinaryOperatorKind.Add
                && c.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local));
    }

    /// <summary>
    /// The operation of the body a local is declared in — the enclosing member, local function or lambda, which holds
    /// its whole scope — or <see langword="null"/> for a local not declared by a declarator in this model's tree.
    /// </summary>
    private static IOperation? ScopeOf(ILocalSymbol local, SemanticModel model)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax declarator
            || declarator.SyntaxTree != model.SyntaxTree)
            return null;
        var scope = declarator.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
            or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or GlobalStatementSyntax or PropertyDeclarationSyntax);
        return scope is null ? null : model.GetOperation(scope);
    }
}
