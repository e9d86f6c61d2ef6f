using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// CONC022's shape: <c>Task.Run</c> or <c>Task.Factory.StartNew</c> whose synchronous delegate is essentially one call of
/// synchronous I/O with a binding async twin (<c>Task.Run(() =&gt; File.ReadAllText(p))</c>) — async-over-sync that holds
/// a pool thread for the whole I/O, or a method group of such a method (<c>Task.Run(reader.ReadToEnd)</c>). Shared with
/// CONC023, which leaves such a delegate to this rule.
/// </summary>
internal sealed class WrappedSynchronousIO
{
    private WrappedSynchronousIO(IInvocationOperation run, IOperation call, BlockingOperation blocking)
    {
        Run = run;
        Call = call;
        Blocking = blocking;
    }

    /// <summary>The <c>Task.Run</c> (or <c>StartNew</c>) call.</summary>
    public IInvocationOperation Run { get; }

    /// <summary>The one synchronous call its delegate makes, or the method group it is (<c>Task.Run(Count)</c>).</summary>
    public IOperation Call { get; }

    /// <summary>The call classified as synchronous I/O, with its twin.</summary>
    public BlockingOperation Blocking { get; }

    public static WrappedSynchronousIO? Of(IInvocationOperation run, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        var method = run.TargetMethod;
        var tasks = analysis.Symbols.Tasks;
        var isRun = method.Name == "Run" && KnownSymbols.Eq(method.ContainingType, tasks.Task);
        var isStartNew = method.Name == "StartNew" && (KnownSymbols.Eq(method.ContainingType?.OriginalDefinition, tasks.TaskFactory) || KnownSymbols.Eq(method.ContainingType?.OriginalDefinition, tasks.TaskFactoryOfT));
        if ((!isRun && !isStartNew) || run.Arguments.Length == 0)
            return null;
        if (MethodGroup(run.Arguments[0].Value) is { } group)
            return OfMethodGroup(run, group, containingSymbol, analysis);
        if (OneCall(run.Arguments[0].Value) is not ({ } lambda, { } call))
            return null;
        if (analysis.IsAsyncFunction(lambda.Symbol) || DelegateSite.Of(lambda, analysis.Symbols).Runs != DelegateRuns.ThreadPool)
            return null;
        var scope = new FunctionScope(lambda.Symbol, lambda, lambda.Body, containingSymbol);
        var api = analysis.Classifier.Candidate(call);
        if (api is not BlockingApi.SynchronousCall || analysis.Classifier.Classify(call, api.Value, scope) is not { Twin: not null } blocking)
            return null;
        return new WrappedSynchronousIO(run, call, blocking);
    }

    /// <summary>A lambda whose body is one call, returned or as a statement: <c>() =&gt; F(x)</c>, <c>() =&gt; { return F(x); }</c>.</summary>
    private static (IAnonymousFunctionOperation? Lambda, IInvocationOperation? Call) OneCall(IOperation argument)
    {
        var value = argument;
        while (value is IDelegateCreationOperation { Target: var target })
            value = target;
        if (value.WalkDownConversions() is not IAnonymousFunctionOperation lambda)
            return (null, null);
        return (lambda, OnlyExpression(lambda) as IInvocationOperation);
    }

    private static IMethodReferenceOperation? MethodGroup(IOperation argument)
    {
        var value = argument;
        while (value is IDelegateCreationOperation { Target: var target })
            value = target;
        return value.WalkDownConversions() as IMethodReferenceOperation;
    }

    /// <summary>
    /// <c>Task.Run(reader.ReadToEnd)</c>: a parameterless synchronous method from metadata (or a virtual or stub one —
    /// a visible certain body is CONC005's and CONC023's business), whose <c>NameAsync()</c> — with the token in scope when
    /// it takes one — binds where the group is, is not obsolete, gives a result that fits, and does not run synchronously.
    /// </summary>
    private static WrappedSynchronousIO? OfMethodGroup(IInvocationOperation run, IMethodReferenceOperation group, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        var method = group.Method;
        var symbols = analysis.Symbols;
        if (method.Parameters.Length != 0 || analysis.IsAsyncFunction(method) || analysis.Summaries.HasVisibleBody(method)
            || group.SemanticModel is not { } model || group.Syntax is not ExpressionSyntax syntax
            || KnownSymbols.IsAnyOf(method.ContainingType, symbols.IO.NoIOTypes)
            || (group.Instance is { } instance && NoIOApis.IsNoIOValue(instance, symbols, analysis.Factories))
            || analysis.Settings.ExcludedApis(syntax.SyntaxTree).Contains(method))
            return null;
        var name = method.Name + "Async";
        ExpressionSyntax? callee = syntax switch
        {
            MemberAccessExpressionSyntax access => access.WithName(SyntaxFactory.IdentifierName(name)),
            IdentifierNameSyntax => SyntaxFactory.IdentifierName(name),
            _ => null,
        };
        if (callee is null)
            return null;
        var token = CancellationTokenInScope.Find(run, containingSymbol, symbols);
        foreach (var withToken in token is null ? new[] { false } : new[] { true, false })
        {
            var arguments = withToken ? SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token!)))) : SyntaxFactory.ArgumentList();
            var info = model.GetSpeculativeSymbolInfo(syntax.SpanStart, SyntaxFactory.InvocationExpression(callee, arguments), SpeculativeBindingOption.BindAsExpression);
            if (info.Symbol is not IMethodSymbol twin || !AwaitableTypes.TryGetAwaitResult(twin.ReturnType, out var result))
                continue;
            if (withToken && (twin.Parameters.Length == 0 || !KnownSymbols.Eq(twin.Parameters[0].Type, symbols.Tasks.CancellationToken)))
                continue;
            if (twin.GetAttributes().Any(a => KnownSymbols.Eq(a.AttributeClass, symbols.Tasks.ObsoleteAttribute)) || analysis.Twins.RunsSynchronously(twin))
                continue;
            if (!method.ReturnsVoid && (result is null || !model.Compilation.ClassifyCommonConversion(result, method.ReturnType).IsImplicit))
                continue;
            var asyncTwin = new AsyncTwin(twin, forwardsToken: withToken);
            var display = "'" + method.ContainingType.Name + "." + method.Name + "'";
            var plan = FixPlan.AwaitTwin(asyncTwin, token);
            return new WrappedSynchronousIO(run, group, new BlockingOperation(BlockingApi.SynchronousCall, group, method, group, display, asyncTwin, plan));
        }

        return null;
    }

    /// <summary>The one expression a lambda's body consists of — returned or as a statement — or <see langword="null"/>.</summary>
    public static IOperation? OnlyExpression(IAnonymousFunctionOperation lambda)
    {
        var statements = lambda.Body.Operations.Where(o => !(o is IReturnOperation { ReturnedValue: null, IsImplicit: true })).ToList();
        if (statements.Count != 1)
            return null;
        return statements[0] switch
        {
            IReturnOperation { ReturnedValue: { } returned } => returned.WalkDownConversions(),
            IExpressionStatementOperation { Operation: var expression } => expression.WalkDownConversions(),
            _ => null,
        };
    }
}
