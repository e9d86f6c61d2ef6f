using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The body operation of a method defined in this compilation, cached per method; <see langword="null"/> outside it
/// (metadata, abstract, extern, partial definitions without an implementation). Reading another tree's body needs that
/// tree's semantic model: one is created per tree on first need and kept (docs/design.md, "Reading callee bodies").
/// </summary>
internal sealed class SourceBodies
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _bodies = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    public SourceBodies(Compilation compilation) => _compilation = compilation;

    public IOperation? Get(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var definition = method.PartialImplementationPart ?? method.OriginalDefinition;
        return _bodies.GetOrAdd(definition, m => Find(m, cancellationToken));
    }

    private IOperation? Find(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.IsAbstract || method.IsExtern)
            return null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
                continue;
            var model = _models.GetOrAdd(reference.SyntaxTree, Model);
            var operation = model.GetOperation(reference.GetSyntax(cancellationToken), cancellationToken);
            switch (operation)
            {
                case ILocalFunctionOperation local:
                    return (IOperation?)local.Body ?? local.IgnoredBody;
                case IMethodBodyOperation { BlockBody: null, ExpressionBody: null }:
                    continue;
                case { } body:
                    return body;
            }
        }

        return null;
    }

    /// <summary>
    /// The driver's own semantic model of a tree, seen in an analyzer callback: bodies of that tree are then read
    /// through it, sharing the binding the compiler does anyway, instead of binding the tree a second time.
    /// </summary>
    public void Offer(SemanticModel model)
    {
        if (model.IsSpeculativeSemanticModel || !ReferenceEquals(model.Compilation, _compilation))
            return;
        if (!_models.TryGetValue(model.SyntaxTree, out var known) || !ReferenceEquals(known, model))
            _models[model.SyntaxTree] = model;
    }

    /// <summary>The semantic model of a tree of this compilation, created once.</summary>
    public SemanticModel ModelOf(SyntaxTree tree) => _models.GetOrAdd(tree, Model);

#pragma warning disable RS1030 // Reading a callee's body in another tree needs that tree's model; one per tree, cached.
    private SemanticModel Model(SyntaxTree tree) => _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
}
