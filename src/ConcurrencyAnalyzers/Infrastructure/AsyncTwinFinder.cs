using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>An async counterpart of a synchronous call that binds where the call is.</summary>
internal sealed class AsyncTwin
{
    public AsyncTwin(IMethodSymbol method, bool forwardsToken)
    {
        Method = method;
        ForwardsToken = forwardsToken;
    }

    public IMethodSymbol Method { get; }

    public bool ForwardsToken { get; }
}

/// <summary>
/// Finds the async twin of a call: <c>recv.NameAsync(args)</c> (with the token in scope appended when the twin takes
/// one) must bind by speculative binding, return an awaitable whose result fits the call's use, not be obsolete, and not
/// be the enclosing method or its own counterpart. Negative lookups are cached per compilation.
/// </summary>
internal sealed class AsyncTwinFinder
{
    private readonly KnownSymbols _symbols;
    private readonly ConcurrentDictionary<(ITypeSymbol? Container, string Name, SyntaxTree Tree), bool> _hasCandidates = new();

    public AsyncTwinFinder(KnownSymbols symbols) => _symbols = symbols;

    /// <param name="invocation">The synchronous call.</param>
    /// <param name="context">Its async context.</param>
    /// <param name="twinName">The twin's name; <c>Name + "Async"</c> when <see langword="null"/>.</param>
    /// <param name="token">The token in scope to forward, if any.</param>
    public AsyncTwin? Find(IInvocationOperation invocation, AsyncContext context, string? twinName, string? token)
    {
        var method = invocation.TargetMethod;
        twinName ??= method.Name + "Async";
        if (invocation.Syntax is not InvocationExpressionSyntax syntax || invocation.SemanticModel is not { } model)
            return null;
        if (IsCounterpartOfEnclosing(invocation, context.Function, twinName))
            return null;

        var renamed = Rename(syntax.Expression, twinName);
        if (renamed is null)
            return null;
        var position = syntax.SpanStart;
        var container = ReceiverType(invocation);
        if (!_hasCandidates.GetOrAdd((container, twinName, syntax.SyntaxTree), key =>
                model.LookupSymbols(position, key.Container as INamespaceOrTypeSymbol, key.Name, includeReducedExtensionMethods: true)
                    .Any(s => s is IMethodSymbol)))
            return null;

        var canForward = token is not null
            && syntax.ArgumentList.Arguments.All(a => a.NameColon is null && a.RefKindKeyword.IsKind(SyntaxKind.None))
            && !invocation.Arguments.Any(a => KnownSymbols.Eq(a.Value.Type, _symbols.CancellationToken));
        if (canForward)
        {
            var withToken = syntax.ArgumentList.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token!)));
            var twin = Bind(model, position, SyntaxFactory.InvocationExpression(renamed, withToken), invocation, context);
            var index = syntax.ArgumentList.Arguments.Count;
            if (twin is not null && index < twin.Parameters.Length && !twin.Parameters[index].IsParams
                && KnownSymbols.Eq(twin.Parameters[index].Type, _symbols.CancellationToken))
                return new AsyncTwin(twin, forwardsToken: true);
        }

        var plain = Bind(model, position, SyntaxFactory.InvocationExpression(renamed, syntax.ArgumentList), invocation, context);
        return plain is null ? null : new AsyncTwin(plain, forwardsToken: false);
    }

    private IMethodSymbol? Bind(SemanticModel model, int position, InvocationExpressionSyntax candidate, IInvocationOperation original, AsyncContext context)
    {
        var info = model.GetSpeculativeSymbolInfo(position, candidate, SpeculativeBindingOption.BindAsExpression);
        if (info.Symbol is not IMethodSymbol twin)
            return null;
        if (IsObsolete(twin) || IsSameFunction(twin, context.Function))
            return null;
        if (!AwaitableTypes.TryGetAwaitResult(twin.ReturnType, out var result))
            return null;

        var method = original.TargetMethod;
        if (method.ReturnsVoid || original.IsValueDiscarded())
            return twin;
        if (result is null || result.SpecialType == SpecialType.System_Void)
            return null;
        var conversion = model.Compilation.ClassifyCommonConversion(result, method.ReturnType);
        return conversion.IsImplicit ? twin : null;
    }

    private bool IsObsolete(IMethodSymbol method) =>
        method.GetAttributes().Any(a => KnownSymbols.Eq(a.AttributeClass, _symbols.ObsoleteAttribute));

    private static bool IsSameFunction(IMethodSymbol twin, IMethodSymbol enclosing)
    {
        for (var m = enclosing; m is not null; m = m.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(twin.OriginalDefinition, m.OriginalDefinition))
                return true;
        }

        return false;
    }

    /// <summary>
    /// <c>Run()</c> inside <c>RunAsync()</c> on the same object: the sync/async pair of one API, not a missed await.
    /// </summary>
    private static bool IsCounterpartOfEnclosing(IInvocationOperation invocation, IMethodSymbol enclosing, string twinName)
    {
        if (enclosing.Name != twinName)
            return false;
        var onSelf = invocation.Instance is null or IInstanceReferenceOperation;
        return onSelf && SymbolEqualityComparer.Default.Equals(enclosing.ContainingType, invocation.TargetMethod.ContainingType);
    }

    private static ITypeSymbol? ReceiverType(IInvocationOperation invocation)
    {
        if (invocation.Syntax is InvocationExpressionSyntax { Expression: not MemberAccessExpressionSyntax })
            return null; // an unqualified call: look the name up in scope.
        if (invocation.Instance is { } instance)
            return instance.Type;
        var method = invocation.TargetMethod;
        return method.IsExtensionMethod && invocation.Arguments.Length > 0
            ? invocation.Arguments[0].Value.WalkDownConversions().Type
            : method.ContainingType;
    }

    private static ExpressionSyntax? Rename(ExpressionSyntax expression, string name) =>
        expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(RenameSimple(access.Name, name)),
            SimpleNameSyntax simple => RenameSimple(simple, name),
            _ => null, // conditional access (x?.Read()) and delegate invocations are left alone.
        };

    private static SimpleNameSyntax RenameSimple(SimpleNameSyntax simple, string name) =>
        simple is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(name))
            : SyntaxFactory.IdentifierName(name);
}
