using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Whether a <c>Parallel.ForEach</c>/<c>Parallel.For</c> loop whose body blocks can become <c>await
/// Parallel.ForEachAsync</c>/<c>ForAsync</c> with an async body, and the plan of that rewrite: every blocking operation
/// of the body must have an awaitable replacement (the async twin, <c>Task.Delay</c>) that can stand where it is, so
/// that the converted loop blocks nothing. One answer per loop, whichever of its diagnostics asks first; the answer
/// depends only on the loop.
/// </summary>
internal sealed class ParallelAsyncPlan
{
    private readonly ConcurrencyAnalysis _analysis;
    private readonly ConcurrentDictionary<SyntaxNode, FixPlan?> _plans = new();

    public ParallelAsyncPlan(ConcurrencyAnalysis analysis) => _analysis = analysis;

    /// <summary>The plan for the loop <paramref name="pool"/> is the body of, or <see langword="null"/> when it cannot be converted.</summary>
    public FixPlan? For(PoolContext pool, ISymbol containingSymbol) =>
        pool.Site.Invocation is { } loop && IsConvertibleLoop(loop, pool.Lambda, _analysis.Symbols)
            ? _plans.GetOrAdd(loop.Syntax, _ => Compute(loop, pool.Lambda, containingSymbol))
            : null;

    /// <summary>
    /// For a body that is already async (CONC031: <c>Parallel.ForEach(src, async x =&gt; …)</c> is async void): the same
    /// conversion with no call to rewrite — the loop becomes <c>await Parallel.ForEachAsync(src[, token], async (x, ct) =&gt; …)</c>.
    /// </summary>
    public static FixPlan? ForAsyncBody(IInvocationOperation loop, IAnonymousFunctionOperation body, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        if (!IsConvertibleLoop(loop, body, analysis.Symbols) || body.Syntax is not LambdaExpressionSyntax lambda || FreshName(lambda, loop.SemanticModel) is not { } parameter)
            return null;
        var token = loop.Arguments.Any(a => a.Parameter?.Type.Name == "ParallelOptions")
            ? null
            : CancellationTokenInScope.Find(loop, containingSymbol, analysis.Symbols);
        return new FixPlan(FixKind.ParallelAsync, loop.TargetMethod.Name + "Async", token).WithInner(parameter, ImmutableArray<InnerEdit>.Empty);
    }

    private static bool IsConvertibleLoop(IInvocationOperation loop, IAnonymousFunctionOperation body, KnownSymbols symbols)
    {
        var method = loop.TargetMethod;
        if (!KnownSymbols.Eq(method.ContainingType, symbols.Tasks.Parallel) || method.Name is not ("ForEach" or "For"))
            return false;
        if (loop.Parent is not IExpressionStatementOperation || body.Symbol.Parameters.Length != 1)
            return false; // the loop's result is used, or the body takes ParallelLoopState: ForEachAsync has neither
        var parameters = method.Parameters;
        var last = parameters[parameters.Length - 1].Type as INamedTypeSymbol;
        if (last is not { Name: "Action", Arity: 1 } || last.ContainingNamespace?.ToDisplayString() != "System")
            return false;
        if (loop.Arguments.Length != parameters.Length || loop.Arguments[loop.Arguments.Length - 1].Value is not IDelegateCreationOperation { Target: var target } || target != body)
            return false;
        var withOptions = parameters.Length >= 2 && parameters[parameters.Length - 2].Type.Name == "ParallelOptions";
        var leading = parameters.Length - 1 - (withOptions ? 1 : 0);
        if (method.Name == "ForEach")
        {
            // ForEach(IEnumerable<T>, [ParallelOptions,] Action<T>): not the Partitioner overloads.
            return leading == 1 && parameters[0].Type is INamedTypeSymbol { Name: "IEnumerable", Arity: 1 }
                && symbols.Tasks.Parallel!.GetMembers("ForEachAsync").Length > 0;
        }

        // For(int|long, int|long, [ParallelOptions,] Action<int|long>) → ForAsync<T> (.NET 8).
        return leading == 2 && parameters[0].Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            && symbols.Tasks.Parallel!.GetMembers("ForAsync").Length > 0;
    }

    private FixPlan? Compute(IInvocationOperation loop, IAnonymousFunctionOperation body, ISymbol containingSymbol)
    {
        if (body.Syntax is not LambdaExpressionSyntax lambda || lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
            return null;
        var edits = ImmutableArray.CreateBuilder<InnerEdit>();
        foreach (var operation in body.Body.Descendants())
        {
            if (operation is ILocalReferenceOperation { Local: var local } && (local.IsRef || local.Type.IsRefLikeType))
                return null; // ref locals and spans cannot live in an async body
            if (operation is not (IInvocationOperation or IPropertyReferenceOperation or IObjectCreationOperation or IUsingOperation or IUsingDeclarationOperation)
                || operation.IsInsideNameOf())
                continue;
            if (PoolContext.Find(operation, containingSymbol, _analysis) is not { } pool || pool.Lambda != body)
                continue; // another queue's work, or code the loop does not run on the pool
            var (blocking, helper, _) = _analysis.BlockingAt(operation, pool.Scope);
            if (helper is not null)
                return null; // a blocking helper: converting the loop would leave it blocking
            if (blocking is null)
                continue;
            if (AwaitableEdit.Of(blocking, loop.Syntax, body.Syntax, pool.Scope, _analysis, waitOne: false, bodyToken: true) is not { } edit)
                return null;
            edits.Add(edit);
        }

        if (edits.Count == 0)
            return null;
        var parameter = FreshName(lambda, loop.SemanticModel);
        if (parameter is null)
            return null;
        var token = loop.Arguments.Any(a => a.Parameter?.Type.Name == "ParallelOptions")
            ? null // the options carry the token
            : CancellationTokenInScope.Find(loop, containingSymbol, _analysis.Symbols);
        var plan = new FixPlan(FixKind.ParallelAsync, loop.TargetMethod.Name + "Async", token);
        return plan.WithInner(parameter, edits.Select(e => new InnerEdit(e.Start, e.Length, e.Plan.WithToken(parameter))).ToImmutableArray());
    }

    /// <summary><c>ct</c>, or another name no symbol in scope and no identifier of the body uses.</summary>
    private static string? FreshName(LambdaExpressionSyntax lambda, SemanticModel? model)
    {
        var used = lambda.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToImmutableHashSet();
        foreach (var candidate in new[] { "ct", "cancellationToken", "token", "loopToken" })
        {
            if (!used.Contains(candidate) && (model is null || model.LookupSymbols(lambda.SpanStart, name: candidate).IsEmpty))
                return candidate;
        }

        return null;
    }
}
