using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// CONC010: the reported loop → <c>await ThreadExecutor.Compute.RunAsync(() =&gt; { loop }, token)</c>
/// (<see cref="OffloadStatementsRewrite"/>: values the loop computes are kept — captured locals assigned in place, locals
/// it declares returned). The data flow is read on the original tree (<see cref="Prepare"/>); the loop is the
/// diagnostic's operand.
/// </summary>
internal sealed class OffloadLoopRewrite : Rewrite
{
    public override FixKind Kind => FixKind.OffloadStatements;

    public override bool RewritesWholeConstruct => true;

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => NodeAtOperand<StatementSyntax>(root, diagnostic);

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, CancellationToken cancellationToken) =>
        target is StatementSyntax { Parent: BlockSyntax } and (ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax);

    public override object? Prepare(SyntaxNode target, FixPlan plan, SemanticModel model, CancellationToken cancellationToken)
    {
        var configureAwait = AwaitStyle.UsesConfigureAwaitFalse(target.SyntaxTree.GetRoot(cancellationToken));
        return OffloadStatementsRewrite.TryRewrite(new[] { (StatementSyntax)target }, model, plan, configureAwait, cancellationToken) is { Length: 1 } statements
            ? new Prepared(target.ToString(), statements[0])
            : null;
    }

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context) =>
        context.Prepared is Prepared prepared && target.ToString() == prepared.Original ? prepared.Replacement : target;

    private sealed class Prepared
    {
        public Prepared(string original, StatementSyntax replacement)
        {
            Original = original;
            Replacement = replacement;
        }

        /// <summary>The loop's text when the replacement was computed: it stands only for that loop.</summary>
        public string Original { get; }

        public StatementSyntax Replacement { get; }
    }
}
