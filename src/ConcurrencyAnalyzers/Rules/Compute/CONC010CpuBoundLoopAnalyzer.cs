using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Compute;

/// <summary>
/// CONC010: a loop on an async path whose cost (<see cref="LoopCost"/>) makes it CPU-bound work — reported on the
/// outermost qualifying loop's keyword, with whether it runs before the first <c>await</c> (on the caller's thread).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC010CpuBoundLoopAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.CpuBoundLoop,
        title: "Offload CPU-bound loops from async code",
        messageFormat: "This loop is CPU-bound work ({0}) on an async path {1}; run it on a compute worker",
        RuleCategories.Compute,
        description: "A loop that computes for long — a large constant bound, nested loops that compute, a CPU-heavy call or " +
                     "recursion in its body, no end but a break — holds the thread that runs the async code for its whole " +
                     "duration: before the first await that is the caller's thread (a request or UI thread). Run it on the " +
                     "compute executor, or Task.Run.");

    public CONC010CpuBoundLoopAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), OperationKind.Loop);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var loop = (ILoopOperation)context.Operation;
        if (Keyword(loop.Syntax) is not { } keyword)
            return;
        if (AsyncContext.Find(loop, context.ContainingSymbol, analysis) is not { } asyncContext || ComputeOffload.IsOffloaded(asyncContext, analysis))
            return;
        if (analysis.Loops.ReportedReason(loop, asyncContext) is not { } reason)
            return;

        var plan = ComputeOffload.Plan(FixKind.OffloadStatements, loop, asyncContext, analysis);
        var where = ComputeOffload.Where(loop, asyncContext, analysis);
        context.ReportDiagnostic(Diagnostic.Create(
            Rule, keyword.GetLocation(), ImmutableArray.Create(loop.Syntax.GetLocation()), plan.Encode(), reason, where));
    }

    private static SyntaxToken? Keyword(SyntaxNode loop) =>
        loop switch
        {
            ForStatementSyntax f => f.ForKeyword,
            CommonForEachStatementSyntax f => f.ForEachKeyword,
            WhileStatementSyntax w => w.WhileKeyword,
            DoStatementSyntax d => d.DoKeyword,
            _ => null,
        };
}
