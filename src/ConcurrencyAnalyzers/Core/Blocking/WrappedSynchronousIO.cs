using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// CONC022's shape: <c>Task.Run</c> or <c>Task.Factory.StartNew</c> whose synchronous delegate is essentially one call of
/// synchronous I/O with a binding async twin (<c>Task.Run(() =&gt; File.ReadAllText(p))</c>) — async-over-sync that holds
/// a pool thread for the whole I/O. Shared with CONC023, which leaves such a delegate to this rule.
/// </summary>
internal sealed class WrappedSynchronousIO
{
    private WrappedSynchronousIO(IInvocationOperation run, IInvocationOperation call, BlockingOperation blocking)
    {
        Run = run;
        Call = call;
        Blocking = blocking;
    }

    /// <summary>The <c>Task.Run</c> (or <c>StartNew</c>) call.</summary>
    public IInvocationOperation Run { get; }

    /// <summary>The one synchronous call its delegate makes.</summary>
    public IInvocationOperation Call { get; }

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
