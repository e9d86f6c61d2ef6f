using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// The shape every fixer shares: one code action per rewrite the analyzer's plan offers and that is possible where the
/// diagnostic is, each with a public equivalence key; Fix All applies the rewrites of one key to every diagnostic of a
/// document in one pass.
/// </summary>
public abstract class BlockingCodeFix : CodeFixProvider
{
    private readonly string _id;

    private protected BlockingCodeFix(string id) => _id = id;

    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(_id);

    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(
        async (context, document, diagnostics) =>
            await FixEngine.FixAsync(
                document,
                diagnostics,
                kind => context.CodeActionEquivalenceKey is not { } key || KeyOf(kind) == key, // no key: each diagnostic's first action
                context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
            return;
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var job in FixEngine.Offered(root, model, diagnostic, context.CancellationToken))
            {
                var kind = job.Rewrite.Kind;
                var document = context.Document;
                var single = ImmutableArray.Create(diagnostic);
                context.RegisterCodeFix(
                    CodeAction.Create(Title(kind, job.Plan), ct => FixEngine.FixAsync(document, single, k => k == kind, ct), KeyOf(kind)),
                    diagnostic);
            }
        }
    }

    /// <summary>The equivalence key of the action for <paramref name="kind"/> (a public constant of the fixer).</summary>
    private protected abstract string KeyOf(FixKind kind);

    /// <summary>The title shown in the light bulb.</summary>
    private protected abstract string Title(FixKind kind, FixPlan plan);

    private protected static string OffloadTitle(FixPlan plan) =>
        plan.Target == OffloadTarget.Bcl
            ? "Run it on the thread pool (Task.Run)"
            : "Run it on the " + (plan.Pool == ExecutorPool.Compute ? "compute" : "blocking") + " executor (ThreadExecutor." + plan.Pool + ")";
}
