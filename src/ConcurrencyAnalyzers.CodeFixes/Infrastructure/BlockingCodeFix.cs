using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// The shape every blocking fixer shares: a fix is offered only when the analyzer found a rewrite and an await can go
/// where the diagnostic is; Fix All applies the same engine to every diagnostic of a document in one pass.
/// </summary>
public abstract class BlockingCodeFix : CodeFixProvider
{
    private readonly string _id;
    private readonly string _equivalenceKey;

    private protected BlockingCodeFix(string id, string equivalenceKey)
    {
        _id = id;
        _equivalenceKey = equivalenceKey;
    }

    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(_id);

    public sealed override FixAllProvider GetFixAllProvider() => BlockingFixEngine.FixAll;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
            return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var plan = BlockingFixEngine.TryPlan(root, model, diagnostic, context.CancellationToken);
            if (plan is null)
                continue;
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    Title(diagnostic),
                    ct => BlockingFixEngine.FixAsync(document, ImmutableArray.Create(diagnostic), ct),
                    _equivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The title shown in the light bulb for this diagnostic.</summary>
    private protected abstract string Title(Diagnostic diagnostic);

    private protected static string? NameOf(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(DiagnosticProperties.Name, out var name) ? name : null;
}
