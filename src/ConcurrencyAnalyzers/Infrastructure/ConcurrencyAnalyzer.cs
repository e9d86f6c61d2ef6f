using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The base of every analyzer: concurrent execution and the generated-code policy are set once here, a rule whose
/// effective severity is <c>none</c> registers nothing, and every rule gets the compilation's one shared
/// <see cref="ConcurrencyAnalysis"/>.
/// </summary>
public abstract class ConcurrencyAnalyzer : DiagnosticAnalyzer
{
    private protected ConcurrencyAnalyzer(DiagnosticDescriptor rule) =>
        Rule = rule;

    /// <summary>The rule this analyzer reports.</summary>
    public DiagnosticDescriptor Rule { get; }

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (!RuleEnablement.IsEnabled(start.Compilation, start.Options, Rule, start.CancellationToken))
                return;
            var analysis = ConcurrencyAnalysis.For(start.Compilation, start.Options);
            if (analysis.Symbols.Tasks.Task is null)
                return; // No System.Threading.Tasks: nothing can be async, so nothing can block async code.
            OnCompilationStart(start, analysis);
        });
    }

    /// <summary>Registers the rule's actions; called only when the rule is enabled somewhere in the compilation.</summary>
    private protected abstract void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis);
}
