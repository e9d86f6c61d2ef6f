using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Blocking;

/// <summary>
/// CONC003: a synchronous call in async context whose async twin binds right there (<c>stream.Read</c> →
/// <c>await stream.ReadAsync</c>), a call the user listed as blocking, and a <c>using</c> of a type whose own
/// <c>DisposeAsync</c> can write (<c>using</c> → <c>await using</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC003SynchronousIOAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.SynchronousIO,
        title: "Use the asynchronous counterpart of synchronous I/O",
        messageFormat: "{0} blocks the thread in async code; {1}",
        RuleCategories.Blocking,
        description: "Synchronous I/O inside async code holds a thread for the whole operation. When the API has an async " +
                     "counterpart that fits the call, await it; when a type's disposal writes, use 'await using'.");

    public CONC003SynchronousIOAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownSymbols symbols)
    {
        var settings = new AnalyzerSettings(context.Compilation, context.Options);
        var twins = new AsyncTwinFinder(symbols);
        context.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, settings, twins), OperationKind.Invocation);
        if (symbols.IAsyncDisposable is not null)
            context.RegisterOperationAction(c => AnalyzeUsing(c, symbols, settings), OperationKind.Using, OperationKind.UsingDeclaration);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols symbols, AnalyzerSettings settings, AsyncTwinFinder twins)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        // The fast path: most calls are already async, or belong to the other blocking rules.
        if (method.Name.EndsWith("Async", System.StringComparison.Ordinal) || symbols.IsTaskLike(method.ReturnType)
            || symbols.IsAnyOf(method.ContainingType, symbols.BlockingRuleTypes))
            return;

        // Async context first: most calls are in synchronous code, and the no-I/O check may consult the semantic model.
        var site = BlockingSite.Find(invocation, context.ContainingSymbol, method, symbols, settings);
        if (site is null)
            return;
        var configured = settings.AdditionalBlockingApis(invocation.Syntax.SyntaxTree).Contains(method);
        if (!configured && NoIOApis.IsNoIO(invocation, symbols))
            return;

        if (method.Name == "Dispose" && method.Parameters.Length == 0 && !configured)
        {
            var receiver = invocation.Instance;
            if (receiver is null || !AsyncDisposal.MissesAsyncDisposal(receiver.Type, null, receiver.ReferencedSymbol() as ILocalSymbol, site.Body, symbols))
                return;
        }

        var token = CancellationTokenInScope.Find(invocation, context.ContainingSymbol, symbols);
        var twin = twins.Find(invocation, site, twinName: null, token);
        if (twin is null && !configured)
            return;

        var what = "'" + method.ContainingType.Name + "." + method.Name + "'";
        var advice = twin is null
            ? "it is listed in concurrency_analyzers.additional_blocking_apis; use an async alternative or move it off the async path"
            : "await '" + twin.Method.Name + "' instead";
        var properties = twin is null ? null : DiagnosticProperties.Create(FixKinds.AwaitTwin, twin.Method.Name, twin.ForwardsToken ? token : null);
        context.ReportDiagnostic(Diagnostic.Create(Descriptor, invocation.Syntax.GetLocation(), properties, what, advice));
    }

    private static void AnalyzeUsing(OperationAnalysisContext context, KnownSymbols symbols, AnalyzerSettings settings)
    {
        var (isAsync, resources, keyword) = context.Operation switch
        {
            IUsingOperation u => (u.IsAsynchronous, u.Resources, UsingKeyword(u.Syntax)),
            IUsingDeclarationOperation d => (d.IsAsynchronous, (IOperation)d.DeclarationGroup, UsingKeyword(d.Syntax)),
            _ => (true, null, default),
        };
        if (isAsync || resources is null || keyword == default)
            return;
        var site = BlockingSite.Find(context.Operation, context.ContainingSymbol, api: null, symbols, settings);
        if (site is null)
            return;

        var excluded = settings.ExcludedApis(context.Operation.Syntax.SyntaxTree);
        foreach (var (type, initializer, local) in Resources(resources))
        {
            if (excluded.ContainsType(type) || !AsyncDisposal.MissesAsyncDisposal(type, initializer, local, site.Body, symbols))
                continue;
            var what = "Synchronous disposal of '" + type!.Name + "'";
            context.ReportDiagnostic(Diagnostic.Create(Descriptor, keyword.GetLocation(), DiagnosticProperties.Create(FixKinds.AwaitUsing), what, "use 'await using' instead"));
            return;
        }
    }

    private static ImmutableArray<(ITypeSymbol? Type, IOperation? Initializer, ILocalSymbol? Local)> Resources(IOperation resources)
    {
        var builder = ImmutableArray.CreateBuilder<(ITypeSymbol?, IOperation?, ILocalSymbol?)>();
        if (resources is IVariableDeclarationGroupOperation group)
        {
            foreach (var declaration in group.Declarations)
            {
                foreach (var declarator in declaration.Declarators)
                {
                    var initializer = declarator.GetVariableInitializer()?.Value;
                    builder.Add((initializer?.WalkDownConversions().Type ?? declarator.Symbol.Type, initializer, declarator.Symbol));
                }
            }
        }
        else
        {
            builder.Add((resources.WalkDownConversions().Type, resources, resources.ReferencedSymbol() as ILocalSymbol));
        }

        return builder.ToImmutable();
    }

    private static SyntaxToken UsingKeyword(SyntaxNode syntax) =>
        syntax switch
        {
            UsingStatementSyntax statement => statement.UsingKeyword,
            LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) => declaration.UsingKeyword,
            _ => default,
        };
}
