using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Boundaries;

/// <summary>
/// CONC030: an <c>async void</c> method or local function that is not an event handler (<see cref="EventHandlers"/>).
/// Its exceptions go to the synchronization context (on the pool: they crash the process) and nobody can wait for it.
/// The fix returns <c>Task</c>; not offered for overrides, interface implementations, partial or virtual methods, and
/// methods used as a <c>void</c> delegate (a method group anywhere in the compilation), where <c>Task</c> would not
/// compile.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class CONC030AsyncVoidAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.AsyncVoid,
        title: "Avoid async void methods",
        messageFormat: "'{0}' is async void: its exceptions crash the process and nobody can await it; return Task",
        RuleCategories.Boundaries,
        description: "An async void method cannot be awaited, so its caller cannot know when it ends, and an exception it " +
                     "throws is raised on the synchronization context — on a pool thread that ends the process. Only event " +
                     "handlers must be async void; everything else returns Task.");

    public CONC030AsyncVoidAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        context.RegisterSymbolAction(c => AnalyzeMethod(c, analysis), SymbolKind.Method);
        context.RegisterOperationAction(c => AnalyzeLocalFunction(c, analysis), OperationKind.LocalFunction);
    }

    private void AnalyzeMethod(SymbolAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation) || !method.IsAsync || !method.ReturnsVoid || EventHandlers.IsHandlerShape(method, analysis.Symbols))
            return;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax declaration)
                Report(context.ReportDiagnostic, declaration.Identifier, declaration.ReturnType, MethodGroups.CanReturnTask(method, analysis, context.CancellationToken));
        }
    }

    private void AnalyzeLocalFunction(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var local = (ILocalFunctionOperation)context.Operation;
        var method = local.Symbol;
        if (!method.IsAsync || !method.ReturnsVoid || EventHandlers.IsHandlerShape(method, analysis.Symbols) || local.Syntax is not LocalFunctionStatementSyntax declaration)
            return;
        var root = local.Ancestors().LastOrDefault() ?? local;
        var usedAsDelegate = root.Descendants().Any(o => o is IMethodReferenceOperation reference && KnownSymbols.Eq(reference.Method.OriginalDefinition, method.OriginalDefinition));
        Report(context.ReportDiagnostic, declaration.Identifier, declaration.ReturnType, !usedAsDelegate);
    }

    private void Report(System.Action<Diagnostic> report, Microsoft.CodeAnalysis.SyntaxToken name, TypeSyntax returnType, bool fixable)
    {
        var properties = fixable ? new FixPlan(FixKind.ReturnTask).Encode() : ImmutableDictionary<string, string?>.Empty;
        report(Diagnostic.Create(Rule, name.GetLocation(), ImmutableArray.Create(returnType.GetLocation()), properties, name.ValueText));
    }
}
