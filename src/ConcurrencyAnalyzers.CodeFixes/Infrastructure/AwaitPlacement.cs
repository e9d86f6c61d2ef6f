using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Where an <c>await</c> would go, and whether it may: it needs an enclosing function that is async or can become async
/// (returns <c>Task</c>/<c>ValueTask</c>/their generic forms, no <c>ref</c>/<c>out</c>/<c>in</c> or ref-struct parameters,
/// no ref-struct locals, not an iterator), and it may not sit in a <c>lock</c>, a query expression, an <c>unsafe</c>
/// block or a <c>catch</c> filter.
/// </summary>
internal sealed class AwaitPlacement
{
    private AwaitPlacement(SyntaxNode function, bool needsAsync, bool returnsValue, bool returnsTaskFromVoid = false)
    {
        Function = function;
        NeedsAsync = needsAsync;
        ReturnsValue = returnsValue;
        ReturnsTaskFromVoid = returnsTaskFromVoid;
    }

    /// <summary>The function is a <c>void</c> method that becomes <c>async Task</c> (the analyzer checked that nothing fixes its signature).</summary>
    public bool ReturnsTaskFromVoid { get; }

    /// <summary>The method, local function, lambda or anonymous method the await lands in.</summary>
    public SyntaxNode Function { get; }

    /// <summary>The function is not async yet: the fix adds <c>async</c> and rewrites its returns.</summary>
    public bool NeedsAsync { get; }

    /// <summary>The function returns <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c> (not the non-generic forms).</summary>
    public bool ReturnsValue { get; }

    /// <summary>
    /// As <see cref="Find"/>, and where that refuses only because the method returns <c>void</c>: with
    /// <paramref name="voidToTask"/> (the plan's word that <c>void</c> → <c>Task</c> compiles), the method becomes <c>async Task</c>.
    /// </summary>
    public static AwaitPlacement? Find(SyntaxNode node, SemanticModel model, bool voidToTask, CancellationToken cancellationToken)
    {
        if (Find(node, model, cancellationToken) is { } placement)
            return placement;
        if (!voidToTask || node.AncestorsAndSelf().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LockStatementSyntax or QueryExpressionSyntax or UnsafeStatementSyntax or FixedStatementSyntax or CatchFilterClauseSyntax)
                is not MethodDeclarationSyntax { ReturnType: PredefinedTypeSyntax { Keyword.ValueText: "void" } } method
            || model.GetDeclaredSymbol(method, cancellationToken) is not { IsAsync: false } symbol
            || symbol.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType) || HasRefLikeLocals(method, model, cancellationToken)
            || OwnStatements(method).Any(s => s is YieldStatementSyntax) || method.Modifiers.Any(SyntaxKind.UnsafeKeyword))
            return null;
        return new AwaitPlacement(method, needsAsync: true, returnsValue: false, returnsTaskFromVoid: true);
    }

    public static AwaitPlacement? Find(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case LockStatementSyntax:
                case QueryExpressionSyntax:
                case UnsafeStatementSyntax:
                case FixedStatementSyntax:
                case CatchFilterClauseSyntax:
                case AttributeSyntax:
                    return null;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MethodDeclarationSyntax:
                    return ForFunction(ancestor, model, cancellationToken);
                case GlobalStatementSyntax global:
                    // Top-level statements: the analyzer only reports here when the synthesized Main is already async.
                    return global.Parent is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>()
                        .Any(g => g.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<AwaitExpressionSyntax>().Any())
                        ? new AwaitPlacement(unit, needsAsync: false, returnsValue: false)
                        : null;
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BasePropertyDeclarationSyntax or FieldDeclarationSyntax:
                    return null; // constructors, operators, accessors: cannot be async.
            }
        }

        return null;
    }

    private static AwaitPlacement? ForFunction(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = function is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(function, cancellationToken).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol;
        if (symbol is null || symbol.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType))
            return null;
        if (function is MethodDeclarationSyntax { Modifiers: var modifiers } && modifiers.Any(SyntaxKind.UnsafeKeyword))
            return null;
        if (HasRefLikeLocals(function, model, cancellationToken))
            return null;
        if (symbol.IsAsync)
            return new AwaitPlacement(function, needsAsync: false, returnsValue: false);

        // Not async yet: only the four task types can be made async by adding the modifier.
        if (symbol.ReturnType is not INamedTypeSymbol { ContainingNamespace: { } ns } returnType
            || ns.ToDisplayString() != "System.Threading.Tasks"
            || returnType.Name is not ("Task" or "ValueTask")
            || OwnStatements(function).Any(s => s is YieldStatementSyntax))
            return null;
        return new AwaitPlacement(function, needsAsync: true, returnsValue: returnType.IsGenericType);
    }

    private static bool HasRefLikeLocals(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in OwnStatements(function))
        {
            if (node is LocalDeclarationStatementSyntax { Declaration: var declaration })
            {
                if (declaration.Type is RefTypeSyntax)
                    return true;
                var type = model.GetTypeInfo(declaration.Type, cancellationToken).Type;
                if (type is { IsRefLikeType: true })
                    return true;
            }
        }

        return false;
    }

    /// <summary>The nodes of a function's body, not descending into nested functions.</summary>
    public static System.Collections.Generic.IEnumerable<SyntaxNode> OwnStatements(SyntaxNode function)
    {
        var body = Body(function);
        if (body is null)
            return Enumerable.Empty<SyntaxNode>();
        return body.DescendantNodesAndSelf(n => n == body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));
    }

    public static SyntaxNode? Body(SyntaxNode function) =>
        function switch
        {
            MethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
            LocalFunctionStatementSyntax l => (SyntaxNode?)l.Body ?? l.ExpressionBody,
            AnonymousFunctionExpressionSyntax a => a.Body,
            _ => null,
        };
}
