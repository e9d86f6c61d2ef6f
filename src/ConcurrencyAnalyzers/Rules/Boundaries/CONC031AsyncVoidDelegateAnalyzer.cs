using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Boundaries;

/// <summary>
/// CONC031: an async lambda, anonymous method or async method group converted to a delegate type whose <c>Invoke</c>
/// returns <c>void</c> (<c>Action</c>, <c>ThreadStart</c>, <c>TimerCallback</c>, <c>WaitCallback</c>, the bodies of
/// <c>Parallel.For</c>/<c>ForEach</c>, <c>List&lt;T&gt;.ForEach</c>, <c>CancellationToken.Register</c>, custom void
/// delegates): the delegate is async void. Event-handler delegate types and event subscriptions are exempt (there
/// async void is the only way). Fixes: <c>Parallel.ForEach(src, async x =&gt; …)</c> → <c>await Parallel.ForEachAsync(src[,
/// token], async (x, ct) =&gt; …)</c>, <c>Parallel.For</c> → <c>ForAsync</c>, <c>list.ForEach(async x =&gt; …)</c> and
/// <c>Array.ForEach</c> → a <c>foreach</c> that awaits; each only where the enclosing function can become async.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC031AsyncVoidDelegateAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.AsyncVoidDelegate,
        title: "Do not pass async lambdas as void-returning delegates",
        messageFormat: "This async {0} becomes async void as a '{1}': nobody awaits it and its exceptions crash the process",
        RuleCategories.Boundaries,
        description: "A delegate type that returns void turns an async lambda into async void: the code that invokes it goes on " +
                     "at the lambda's first await, cannot know when the work ends, and an exception after that await is raised " +
                     "on the pool, where it ends the process. Parallel.ForEach(async …) starts everything and returns at once. " +
                     "Use an API that takes Func<Task> (Parallel.ForEachAsync, a foreach with await, Task.Run).");

    public CONC031AsyncVoidDelegateAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), OperationKind.DelegateCreation);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { ReturnsVoid: true } } delegateType)
            return;
        var target = creation.Target.WalkDownConversions();
        string what;
        Location location;
        switch (target)
        {
            case IAnonymousFunctionOperation { Symbol.IsAsync: true } lambda:
                what = lambda.Syntax is AnonymousMethodExpressionSyntax ? "anonymous method" : "lambda";
                location = HeadOf(lambda.Syntax);
                break;
            case IMethodReferenceOperation { Method.IsAsync: true } group:
                what = "method '" + group.Method.Name + "'";
                location = group.Syntax.GetLocation();
                break;
            default:
                return;
        }

        if (EventHandlers.IsHandlerDelegate(delegateType, analysis.Symbols) || IsEventSubscription(creation))
            return;
        var plan = target is IAnonymousFunctionOperation anonymous ? Plan(creation, anonymous, context.ContainingSymbol, analysis) : null;
        if (plan is { } found && VoidMethodCanReturnTask(creation, context.ContainingSymbol, analysis, context.CancellationToken))
            plan = (found.Plan.WithVoidToTask(), found.Operand);
        context.ReportDiagnostic(Diagnostic.Create(
            Rule, location, ImmutableArray.Create((plan?.Operand ?? creation.Syntax).GetLocation()),
            plan?.Plan.Encode() ?? ImmutableDictionary<string, string?>.Empty, what, delegateType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }

    /// <summary>
    /// The call sits directly in a <c>void</c> method (not in a lambda or local function) that may become <c>async Task</c>
    /// for the await the fix adds (<see cref="MethodGroups.CanReturnTask"/>).
    /// </summary>
    private static bool VoidMethodCanReturnTask(IOperation creation, ISymbol containingSymbol, ConcurrencyAnalysis analysis, System.Threading.CancellationToken cancellationToken) =>
        containingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary, ReturnsVoid: true, IsAsync: false } method
        && !creation.Ancestors().Skip(1).Any(a => a is IAnonymousFunctionOperation or ILocalFunctionOperation)
        && MethodGroups.CanReturnTask(method, analysis, cancellationToken);

    /// <summary><c>async (x) =&gt;</c>, or the lambda's first line: where the squiggle goes.</summary>
    private static Location HeadOf(SyntaxNode lambda)
    {
        var end = lambda switch
        {
            LambdaExpressionSyntax l => l.ArrowToken.Span.End,
            AnonymousMethodExpressionSyntax a => a.ParameterList?.Span.End ?? a.DelegateKeyword.Span.End,
            _ => lambda.Span.End,
        };
        return Location.Create(lambda.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lambda.SpanStart, end));
    }

    private static bool IsEventSubscription(IOperation creation)
    {
        for (var parent = creation.Parent; parent is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation or IEventAssignmentOperation; parent = parent.Parent)
        {
            // A library's event of a void delegate type leaves async void as the only way to subscribe an async handler;
            // an event the project declares (event Action<T> Published) can take a Func<T, Task> instead.
            if (parent is IEventAssignmentOperation assignment)
                return assignment.EventReference is not IEventReferenceOperation { Event: var @event } || @event.Locations.All(l => !l.IsInSource);
        }

        return false;
    }

    private static (FixPlan Plan, SyntaxNode Operand)? Plan(IDelegateCreationOperation creation, IAnonymousFunctionOperation lambda, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        if (creation.Parent is not IArgumentOperation { Parent: IInvocationOperation call } || call.Parent is not IExpressionStatementOperation)
            return null;
        var method = call.TargetMethod;
        if (KnownSymbols.Eq(method.ContainingType, analysis.Symbols.Tasks.Parallel))
            return ParallelAsyncPlan.ForAsyncBody(call, lambda, containingSymbol, analysis) is { } parallel ? (parallel, call.Syntax) : null;
        var isListForEach = method.Name == "ForEach" && method.ContainingType is { Name: "List", Arity: 1 } list
            && list.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic" && call.Instance is not null;
        var isArrayForEach = method.Name == "ForEach" && method.ContainingType?.SpecialType == SpecialType.System_Array && call.Arguments.Length == 2;
        if (!(isListForEach || isArrayForEach) || lambda.Symbol.Parameters.Length != 1 || lambda.Syntax is not (SimpleLambdaExpressionSyntax or ParenthesizedLambdaExpressionSyntax))
            return null;
        if (!ReturnsOnlyAtTopLevel(lambda))
            return null; // a return inside a loop or switch of the body would become a continue of that loop
        return (new FixPlan(FixKind.ForEachLoop), call.Syntax);
    }

    /// <summary>Every <c>return</c> of the body (not of a nested function) is outside loops and switches: it can become <c>continue</c>.</summary>
    private static bool ReturnsOnlyAtTopLevel(IAnonymousFunctionOperation lambda)
    {
        foreach (var operation in lambda.Body.Descendants().OfType<IReturnOperation>())
        {
            if (operation.IsImplicit)
                continue;
            for (var parent = operation.Parent; parent is not null && parent != lambda.Body; parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    break;
                if (parent is ILoopOperation or ISwitchOperation)
                    return false;
            }
        }

        return true;
    }
}
