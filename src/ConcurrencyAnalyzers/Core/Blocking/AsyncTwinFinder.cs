using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>An async counterpart of a synchronous call that binds where the call is.</summary>
internal sealed class AsyncTwin
{
    public AsyncTwin(IMethodSymbol method, bool forwardsToken, string? arguments = null)
    {
        Method = method;
        ForwardsToken = forwardsToken;
        Arguments = arguments;
    }

    public IMethodSymbol Method { get; }

    public bool ForwardsToken { get; }

    /// <summary>The argument list the twin bound with (without a forwarded token), when it is not the call's own.</summary>
    public string? Arguments { get; }
}

/// <summary>
/// Finds the async twin of a call: <c>recv.NameAsync(args)</c> (with the token in scope appended when the twin takes
/// one) must bind by speculative binding, return an awaitable whose result fits the call's use, not be obsolete, and not
/// be the enclosing function or its own counterpart. "No candidate of that name" is cached per compilation under a key
/// that holds everything the lookup depends on (see <see cref="LookupKey"/>).
/// </summary>
internal sealed class AsyncTwinFinder
{
    private readonly KnownSymbols _symbols;
    private readonly ConcurrentDictionary<LookupKey, bool> _hasCandidates = new();
    private readonly ConcurrentDictionary<(ITypeSymbol Type, string Name), bool> _hasMethodNamed = new(TypeAndNameComparer.Instance);
    private readonly ConcurrentDictionary<ExtensionKey, bool> _hasExtensions = new();
    private readonly ConcurrentDictionary<SyntaxNode, string> _usingScopes = new();

    /// <summary>0: not looked at yet; 1: some file has a <c>global using static</c>; 2: none has.</summary>
    private int _globalUsingStatic;
    private readonly ConcurrentDictionary<SyntaxNode, ImmutableHashSet<string>> _localFunctionNames = new();

    private readonly System.Func<IMethodSymbol, IOperation?> _sourceBodyOf;
    private readonly System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>>? _implementationsOf;

    /// <param name="symbols">The compilation's known symbols.</param>
    /// <param name="sourceBodyOf">The body of a method defined in the compilation (a twin that only wraps the call is no twin).</param>
    /// <param name="implementationsOf">The compilation's implementations of an interface or abstract method (its own
    /// source types), for twins reached through an abstraction; <see langword="null"/> where nobody asks.</param>
    public AsyncTwinFinder(KnownSymbols symbols, System.Func<IMethodSymbol, IOperation?> sourceBodyOf, System.Func<IMethodSymbol, IReadOnlyList<IMethodSymbol>>? implementationsOf = null)
    {
        _implementationsOf = implementationsOf;
        _symbols = symbols;
        _sourceBodyOf = sourceBodyOf;
    }

    /// <summary>
    /// What the lookup of an unqualified twin name depends on besides the name: the type the call is in (accessibility,
    /// and the members an unqualified name finds), the innermost namespace declaration or file (the usings that bring
    /// <c>using static</c> members into scope), and the member it is in (its local functions). Leaving any of them out
    /// makes one lookup answer for another — and the diagnostics depend on the order of callbacks. (A call on a receiver
    /// is looked up by <see cref="ExtensionKey"/>.)
    /// </summary>
    internal readonly struct LookupKey : System.IEquatable<LookupKey>
    {
        public LookupKey(string name, INamedTypeSymbol? enclosingType, SyntaxNode usingScope, ISymbol? member)
        {
            Name = name;
            EnclosingType = enclosingType;
            UsingScope = usingScope;
            Member = member;
        }

        public string Name { get; }
        public INamedTypeSymbol? EnclosingType { get; }
        public SyntaxNode UsingScope { get; }
        public ISymbol? Member { get; }

        public bool Equals(LookupKey other) =>
            Name == other.Name
            && SymbolEqualityComparer.Default.Equals(EnclosingType, other.EnclosingType)
            && UsingScope == other.UsingScope
            && SymbolEqualityComparer.Default.Equals(Member, other.Member);

        public override bool Equals(object? obj) => obj is LookupKey other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                var hash = Name.GetHashCode();
                hash = (hash * 31) + SymbolEqualityComparer.Default.GetHashCode(EnclosingType);
                hash = (hash * 31) + UsingScope.GetHashCode();
                return (hash * 31) + SymbolEqualityComparer.Default.GetHashCode(Member);
            }
        }
    }

    /// <param name="invocation">The synchronous call.</param>
    /// <param name="scope">The function it is in (the twin may not be that function or its counterpart).</param>
    /// <param name="twinName">The twin's name; <c>Name + "Async"</c> when <see langword="null"/>.</param>
    /// <param name="token">The token in scope to forward, if any (a name, or <see cref="NoTokenText"/> to find the overload that takes one).</param>
    /// <summary>
    /// Whether any method of the twin's name can be found where the call is: a cached, cheap pre-check, so that callers
    /// can skip their own costlier checks (no-I/O values, the token in scope) for the many calls that have no twin.
    /// </summary>
    public bool MayHaveTwin(IInvocationOperation invocation, FunctionScope scope, string? twinName = null) =>
        Prepare(invocation, scope, twinName ?? invocation.TargetMethod.Name + "Async", out _, out _);

    private bool Prepare(IInvocationOperation invocation, FunctionScope scope, string twinName, out InvocationExpressionSyntax? syntax, out ExpressionSyntax? renamed)
    {
        renamed = null;
        syntax = invocation.Syntax as InvocationExpressionSyntax;
        if (syntax is null || invocation.SemanticModel is not { } model)
            return false;
        if (IsCounterpartOfEnclosing(invocation, scope.Function, twinName))
            return false;

        // x?.Read(…): the twin is bound as x.ReadAsync(…) (the fix keeps the ?.).
        renamed = syntax.Expression is MemberBindingExpressionSyntax binding
            && syntax.Parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull == syntax
                ? SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, conditional.Expression.WithoutTrivia(), RenameSimple(binding.Name, twinName))
                : Rename(syntax.Expression, twinName);
        if (renamed is null)
            return false;
        var position = syntax.SpanStart;
        var container = ReceiverType(invocation);
        if (container is not null)
        {
            // recv.Name(…): the receiver's own methods (any accessibility; binding decides), else extension methods in
            // scope — which depend only on the namespace chain and the usings, so one lookup serves every file that
            // has the same ones.
            if (_hasMethodNamed.GetOrAdd((container, twinName), k => HasMethodNamed(k.Type, k.Name)))
                return true;
            var usings = UsingsOf(syntax);
            return _hasExtensions.GetOrAdd(
                new ExtensionKey(container, twinName, usings),
                k => model.LookupSymbols(position, k.Container as INamespaceOrTypeSymbol, k.Name, includeReducedExtensionMethods: true).Any(s => s is IMethodSymbol));
        }

        // Name(…): a local function, a method of the enclosing types (their bases too), or one imported by 'using
        // static'. Without any of them nothing can bind, and the lookup is skipped.
        var member = MemberScope(syntax);
        var local = member is not null && LocalFunctionNames(member).Contains(twinName);
        if (!local && !EnclosingTypesHaveMethod(scope.Member.ContainingType, twinName) && !HasUsingStatic(syntax, model.Compilation))
            return false;
        var key = new LookupKey(
            twinName,
            scope.Member.ContainingType,
            (SyntaxNode?)syntax.FirstAncestorOrSelf<BaseNamespaceDeclarationSyntax>() ?? syntax.SyntaxTree.GetRoot(),
            local ? scope.Member : null);
        return key.Member is not null || _hasCandidates.GetOrAdd(key, k => HasCandidates(model, position, k));
    }

    /// <param name="invocation">The synchronous call.</param>
    /// <param name="scope">The function it is in (the twin may not be that function or its counterpart).</param>
    /// <param name="twinName">The twin's name; <c>Name + "Async"</c> when <see langword="null"/>.</param>
    /// <param name="token">The token in scope to forward, if any (a name, or <see cref="NoTokenText"/> to find the overload that takes one).</param>
    /// <remarks>
    /// The call's arguments are tried as they are, then in the shapes an async twin takes the same values in: spans as
    /// memory (<c>Write(b.AsSpan(o, n))</c> → <c>WriteAsync(b.AsMemory(o, n))</c>), then with one more enum argument at
    /// its natural value (<c>XDocument.Load(s)</c> → <c>LoadAsync(s, LoadOptions.None, token)</c>). <c>in</c> (and a
    /// <c>ref</c> passed to a <c>ref readonly</c> parameter) is always dropped: async methods take values.
    /// </remarks>
    public AsyncTwin? Find(IInvocationOperation invocation, FunctionScope scope, string? twinName, string? token)
    {
        twinName ??= invocation.TargetMethod.Name + "Async";
        if (!Prepare(invocation, scope, twinName, out var syntax, out var renamed) || syntax is null || renamed is null || invocation.SemanticModel is not { } model)
            return null;
        var position = syntax.SpanStart;
        var arguments = WithoutReadOnlyReferences(syntax.ArgumentList, invocation);
        var twin = TryArguments(arguments);
        if (twin is null && AsMemory(arguments) is { } memory)
            twin = TryArguments(memory);
        if (twin is null && arguments.Arguments.All(a => a.NameColon is null))
        {
            foreach (var value in NaturalValues(model, position, ReceiverType(invocation), twinName, arguments.Arguments.Count))
            {
                twin = TryArguments(arguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(value))));
                if (twin is not null)
                    break;
            }
        }

        return twin;

        AsyncTwin? TryArguments(ArgumentListSyntax list)
        {
            var changed = list.ToString() == syntax.ArgumentList.ToString() ? null : list.ToString();
            var positional = list.Arguments.All(a => a.NameColon is null && a.RefKindKeyword.IsKind(SyntaxKind.None));
            var hasTokenArgument = invocation.Arguments.Any(a => KnownSymbols.Eq(a.Value.Type, _symbols.Tasks.CancellationToken));
            if (token is not null && positional && !hasTokenArgument)
            {
                var withToken = list.AddArguments(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(token)));
                var forwarded = Bind(model, position, SyntaxFactory.InvocationExpression(renamed, withToken), invocation, scope);
                var index = list.Arguments.Count;
                if (forwarded is not null && index < forwarded.Parameters.Length && !forwarded.Parameters[index].IsParams
                    && KnownSymbols.Eq(forwarded.Parameters[index].Type, _symbols.Tasks.CancellationToken))
                    return new AsyncTwin(forwarded, forwardsToken: true, changed);
            }

            var plain = Bind(model, position, SyntaxFactory.InvocationExpression(renamed, list), invocation, scope);
            if (plain is not null)
                return new AsyncTwin(plain, forwardsToken: false, changed);
            if (token is not null || !positional || hasTokenArgument)
                return null;

            // A twin that requires a token, and none is in scope: pass CancellationToken.None, as the call had none.
            var withNone = list.AddArguments(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(NoTokenText)));
            var required = Bind(model, position, SyntaxFactory.InvocationExpression(renamed, withNone), invocation, scope);
            return required is null ? null : new AsyncTwin(required, forwardsToken: false, withNone.ToString());
        }
    }

    /// <summary>A token expression that binds anywhere: to find the overload that takes one where none is in scope yet.</summary>
    public const string NoTokenText = "global::System.Threading.CancellationToken.None";

    /// <summary>
    /// The argument list with every <c>in</c> modifier removed, and <c>ref</c> where the parameter is <c>ref readonly</c>
    /// (<c>ref</c> and <c>out</c> to other parameters stay: they change what is passed).
    /// </summary>
    public static ArgumentListSyntax WithoutReadOnlyReferences(ArgumentListSyntax arguments, IInvocationOperation invocation)
    {
        bool ReadOnlyReference(ArgumentSyntax a) =>
            a.RefKindKeyword.IsKind(SyntaxKind.InKeyword)
            || (a.RefKindKeyword.IsKind(SyntaxKind.RefKeyword)
                && invocation.Arguments.Any(o => o.Syntax == a && o.Parameter is { RefKind: RefKind.RefReadOnlyParameter or RefKind.In }));
        if (!arguments.Arguments.Any(ReadOnlyReference))
            return arguments;
        return arguments.WithArguments(SyntaxFactory.SeparatedList(
            arguments.Arguments.Select(a => ReadOnlyReference(a) ? a.WithRefKindKeyword(default).WithTriviaFrom(a) : a),
            arguments.Arguments.GetSeparators()));
    }

    /// <summary>
    /// The arguments with each span made the same memory: <c>x.AsSpan(…)</c> → <c>x.AsMemory(…)</c>,
    /// <c>new Span&lt;T&gt;(…)</c> → <c>new Memory&lt;T&gt;(…)</c>; <see langword="null"/> when no argument is written so.
    /// </summary>
    private static ArgumentListSyntax? AsMemory(ArgumentListSyntax arguments)
    {
        var any = false;
        var rewritten = arguments.Arguments.Select(a =>
        {
            ExpressionSyntax? memory = a.Expression switch
            {
                InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsSpan" } access } call =>
                    call.WithExpression(access.WithName(SyntaxFactory.IdentifierName("AsMemory"))),
                ObjectCreationExpressionSyntax { Type: GenericNameSyntax { Identifier.ValueText: "Span" or "ReadOnlySpan" } span } creation =>
                    creation.WithType(span.WithIdentifier(SyntaxFactory.Identifier(span.Identifier.ValueText == "Span" ? "Memory" : "ReadOnlyMemory"))),
                _ => null,
            };
            any |= memory is not null;
            return memory is null ? a : a.WithExpression(memory);
        }).ToList();
        return any ? arguments.WithArguments(SyntaxFactory.SeparatedList(rewritten, arguments.Arguments.GetSeparators())) : null;
    }

    /// <summary>
    /// The natural values of a twin's one extra parameter after the call's <paramref name="count"/> arguments: an enum's
    /// <c>None</c> member of value 0 (<c>LoadOptions.None</c>, <c>SaveOptions.None</c>), fully qualified, in a stable order.
    /// </summary>
    private static IEnumerable<string> NaturalValues(SemanticModel model, int position, ITypeSymbol? container, string twinName, int count)
    {
        var values = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var candidate in model.LookupSymbols(position, container as INamespaceOrTypeSymbol, twinName, includeReducedExtensionMethods: true).OfType<IMethodSymbol>())
        {
            if (candidate.Parameters.Length <= count || candidate.Parameters[count].Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
                continue;
            if (enumType.GetMembers("None").OfType<IFieldSymbol>().Any(f => f.HasConstantValue && System.Convert.ToInt64(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) == 0))
                values.Add("global::" + enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)) + ".None");
        }

        return values;
    }

    /// <summary>
    /// Whether a method of the twin's name is found where the call is. Only cached for keys without a member: when the
    /// member declares a local function of that name, binding decides (the local function may be out of scope here).
    /// </summary>
    private bool EnclosingTypesHaveMethod(INamedTypeSymbol? type, string name)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (_hasMethodNamed.GetOrAdd((t, name), k => HasMethodNamed(k.Type, k.Name)))
                return true;
        }

        return false;
    }

    /// <summary>A <c>using static</c> in scope at the call: in its file or namespace declarations, or a global one anywhere.</summary>
    private bool HasUsingStatic(SyntaxNode call, Compilation compilation)
    {
        if (UsingsOf(call).Contains("using static "))
            return true;
        if (_globalUsingStatic == 0)
        {
            var any = compilation.SyntaxTrees.Any(t => t.GetRoot() is CompilationUnitSyntax unit
                && unit.Usings.Any(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) && u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword)));
            System.Threading.Interlocked.CompareExchange(ref _globalUsingStatic, any ? 1 : 2, 0);
        }

        return _globalUsingStatic == 1;
    }

    /// <summary>The receiver type, or a base type or interface of it, declares a method named <paramref name="name"/>.</summary>
    private static bool HasMethodNamed(ITypeSymbol type, string name)
    {
        if (type is ITypeParameterSymbol parameter)
            return parameter.ConstraintTypes.Any(c => HasMethodNamed(c, name));
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.GetMembers(name).Any(m => m is IMethodSymbol))
                return true;
        }

        return type.AllInterfaces.Any(i => i.GetMembers(name).Any(m => m is IMethodSymbol));
    }

    /// <summary>
    /// What decides the extension methods in scope at a call: the chain of namespace declarations around it and the
    /// using directives of each, and of the file (global usings are the same for every file), as text.
    /// </summary>
    private string UsingsOf(SyntaxNode call)
    {
        var scope = (SyntaxNode?)call.FirstAncestorOrSelf<BaseNamespaceDeclarationSyntax>() ?? call.SyntaxTree.GetRoot();
        return _usingScopes.GetOrAdd(scope, static s =>
        {
            var text = new System.Text.StringBuilder();
            for (var node = s; node is not null; node = node.Parent)
            {
                var (name, externs, usings) = node switch
                {
                    BaseNamespaceDeclarationSyntax ns => (ns.Name.ToString(), ns.Externs, ns.Usings),
                    CompilationUnitSyntax unit => (string.Empty, unit.Externs, unit.Usings),
                    _ => (null, default, default),
                };
                if (name is null)
                    continue;
                text.Append("namespace ").Append(name).Append('{');
                foreach (var directive in externs)
                    text.Append(directive.ToString()).Append('\n');
                foreach (var directive in usings)
                    text.Append(directive.ToString()).Append('\n');
                text.Append('}');
            }

            return text.ToString();
        });
    }

    /// <summary>An extension-method lookup: the receiver type, the name, and the usings in scope (<see cref="UsingsOf"/>).</summary>
    private readonly struct ExtensionKey : System.IEquatable<ExtensionKey>
    {
        public ExtensionKey(ITypeSymbol container, string name, string usings)
        {
            Container = container;
            Name = name;
            Usings = usings;
        }

        public ITypeSymbol Container { get; }
        public string Name { get; }
        public string Usings { get; }

        public bool Equals(ExtensionKey other) =>
            SymbolEqualityComparer.Default.Equals(Container, other.Container) && Name == other.Name && Usings == other.Usings;

        public override bool Equals(object? obj) => obj is ExtensionKey other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                return (((SymbolEqualityComparer.Default.GetHashCode(Container) * 31) + Name.GetHashCode()) * 31) + Usings.GetHashCode();
            }
        }
    }

    private sealed class TypeAndNameComparer : IEqualityComparer<(ITypeSymbol Type, string Name)>
    {
        public static readonly TypeAndNameComparer Instance = new();

        public bool Equals((ITypeSymbol Type, string Name) x, (ITypeSymbol Type, string Name) y) =>
            SymbolEqualityComparer.Default.Equals(x.Type, y.Type) && x.Name == y.Name;

        public int GetHashCode((ITypeSymbol Type, string Name) obj) =>
            unchecked((SymbolEqualityComparer.Default.GetHashCode(obj.Type) * 31) + obj.Name.GetHashCode());
    }

    private static bool HasCandidates(SemanticModel model, int position, LookupKey key) =>
        model.LookupSymbols(position, container: null, key.Name, includeReducedExtensionMethods: true).Any(s => s is IMethodSymbol);

    /// <summary>The member declaration around a call (for top-level statements, the file: they share local functions).</summary>
    private static SyntaxNode? MemberScope(SyntaxNode call)
    {
        SyntaxNode? member = call.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        return member is GlobalStatementSyntax ? member.Parent : member;
    }

    private ImmutableHashSet<string> LocalFunctionNames(SyntaxNode member) =>
        _localFunctionNames.GetOrAdd(member, m => m.DescendantNodes().OfType<LocalFunctionStatementSyntax>().Select(l => l.Identifier.ValueText).ToImmutableHashSet());

    private IMethodSymbol? Bind(SemanticModel model, int position, InvocationExpressionSyntax candidate, IInvocationOperation original, FunctionScope scope)
    {
        var info = model.GetSpeculativeSymbolInfo(position, candidate, SpeculativeBindingOption.BindAsExpression);
        if (info.Symbol is not IMethodSymbol twin)
            return null;
        if (IsObsolete(twin) || IsSameFunction(twin, scope.Function))
            return null;
        if (!AwaitableTypes.TryGetAwaitResult(twin.ReturnType, out var result))
            return null;

        var method = original.TargetMethod;
        if (!IsCounterpart(twin, original, candidate))
            return null;
        if (method.ReturnsVoid || original.IsValueDiscarded())
            return twin;
        if (result is null || result.SpecialType == SpecialType.System_Void)
            return null;
        var conversion = model.Compilation.ClassifyCommonConversion(result, method.ReturnType);
        return conversion.IsImplicit ? twin : null;
    }

    /// <summary>
    /// A twin is the call's counterpart, not merely something that binds: not reached through a lossy implicit numeric
    /// conversion of an argument (<c>A(long)</c> → <c>AAsync(double)</c>), not a generic method standing in for a
    /// non-generic one (<c>A(List&lt;int&gt;)</c> → <c>AAsync&lt;T&gt;(IEnumerable&lt;T&gt;)</c>), not a method of another type that an
    /// unqualified name finds through <c>using static</c>, and — when its body is visible — not a wrapper that only runs
    /// the same synchronous call (<c>=&gt; new(M(…))</c>, <c>Task.FromResult(M(…))</c>, <c>{ M(…); return default; }</c>).
    /// </summary>
    private bool IsCounterpart(IMethodSymbol twin, IInvocationOperation original, InvocationExpressionSyntax candidate)
    {
        var method = original.TargetMethod;
        foreach (var argument in original.Arguments)
        {
            if (argument.Parameter is not { } parameter || parameter.Ordinal >= twin.Parameters.Length)
                continue;
            if (IsLossy(parameter.Type, twin.Parameters[parameter.Ordinal].Type))
                return false;
        }

        // A(List<int>) → AAsync<T>(IEnumerable<T>): a generic method that happens to accept the value is another API,
        // not the non-generic method's counterpart (for the NameAsync convention; WaitAll → WhenAll<T> is named on purpose).
        if (!method.IsGenericMethod && twin.IsGenericMethod && twin.Name == method.Name + "Async")
            return false;
        if (candidate.Expression is SimpleNameSyntax && twin.MethodKind != MethodKind.LocalFunction
            && !KnownSymbols.InheritsFrom(method.ContainingType, twin.ContainingType?.OriginalDefinition)
            && !KnownSymbols.InheritsFrom(twin.ContainingType, method.ContainingType?.OriginalDefinition))
            return false; // using static Other; … Load() finding Other.LoadAsync

        return !OnlyWraps(twin, method) && !RunsSynchronously(twin) && !EveryImplementationRunsSynchronously(twin, method);
    }

    /// <summary>
    /// A twin declared by an interface or as <c>abstract</c> (the call goes through <c>IBucket</c>): judged by its
    /// implementations in the compilation. When there is at least one and each only wraps the synchronous call or runs
    /// synchronously (<c>ScopeAsync(n) { return new(Scope(n)); }</c>, <c>{ CheckIfDisposed(); return
    /// ValueTask.FromResult(Scope(n)); }</c>), awaiting it frees no thread. An implementation outside the compilation,
    /// or without a body, keeps the twin a counterpart.
    /// </summary>
    private bool EveryImplementationRunsSynchronously(IMethodSymbol twin, IMethodSymbol sync)
    {
        twin = twin.OriginalDefinition;
        if (!twin.IsAbstract || twin.DeclaringSyntaxReferences.IsDefaultOrEmpty || _implementationsOf is null)
            return false;
        var implementations = _implementationsOf(twin);
        return implementations.Count > 0
            && implementations.All(i => OnlyWraps(i, sync) || RunsSynchronously(i, depth: 5));
    }

    /// <summary>
    /// Whether an async-looking method defined in source, whose target is certain (not virtual, or sealed), runs to
    /// completion synchronously — and so frees no thread when awaited: an <c>async</c> method without an <c>await</c>,
    /// or a method whose every <c>return</c> gives a completed value (<c>default</c>, <c>Task.CompletedTask</c>,
    /// <c>Task.FromResult(…)</c>, <c>new ValueTask&lt;T&gt;(value)</c>) and that calls nothing awaitable. Guard statements
    /// before it (<c>ct.ThrowIfCancellationRequested()</c>) do not change that.
    /// </summary>
    public bool RunsSynchronously(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (!IsCertainTarget(method))
            return false;
        return _synchronous.GetOrAdd(method, m => RunsSynchronously(m, depth: 3));
    }

    /// <summary>
    /// The same, for a method an async body awaits (<c>async Task CloseAsync() { await DisposeAsync(); }</c>): the most
    /// derived body known is judged, a few calls deep. A twin that does no work at all is a stub: its name decides.
    /// </summary>
    private bool RunsSynchronously(IMethodSymbol method, int depth)
    {
        if (depth <= 0 || method.DeclaringSyntaxReferences.IsDefaultOrEmpty)
            return false;
        if (method.IsAbstract)
        {
            // await scope.CollectionAsync(n) through an interface: synchronous when every implementation in the
            // compilation is (and there is one).
            var implementations = _implementationsOf?.Invoke(method.OriginalDefinition);
            return implementations is { Count: > 0 } && implementations.All(i => RunsSynchronously(i, depth - 1));
        }

        return _sourceBodyOf(method.OriginalDefinition) is { } body && !Placeholders.IsPlaceholder(body) && IsSynchronousBody(method.OriginalDefinition, body, depth);
    }

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _synchronous = new(SymbolEqualityComparer.Default);

    private bool IsSynchronousBody(IMethodSymbol method, IOperation body, int depth)
    {
        var returns = 0;
        foreach (var operation in BlockingSummaries.OwnOperations(body))
        {
            switch (operation)
            {
                case IAwaitOperation { Operation: var awaited }:
                    // await DisposeAsync() where that DisposeAsync itself runs synchronously: no real suspension.
                    if (CompletedTaskAnalysis.StripConfigureAwait(awaited.WalkDownConversions(), _symbols.Tasks) is IInvocationOperation awaitedCall && RunsSynchronously(awaitedCall.TargetMethod, depth - 1))
                        continue;
                    return false;
                case IUsingOperation { IsAsynchronous: true }:
                case IUsingDeclarationOperation { IsAsynchronous: true }:
                case IForEachLoopOperation { IsAsynchronous: true }:
                    return false;
                case IReturnOperation { ReturnedValue: { } value } when !method.IsAsync:
                    returns++;
                    if (!IsCompletedValue(value) && !IsSynchronousCall(value, depth))
                        return false;
                    break;
                case IInvocationOperation call when !method.IsAsync && _symbols.IsTaskLike(call.TargetMethod.ReturnType) && !IsCompletedValue(call) && !IsSynchronousCall(call, depth):
                    return false; // something asynchronous is started (and returned, or stored)
            }
        }

        return method.IsAsync || returns > 0;
    }

    /// <summary>A call of it runs the body declared in source: not virtual, or sealed (itself or its type).</summary>
    private static bool IsCertainTarget(IMethodSymbol method) =>
        !(method.IsVirtual || method.IsAbstract || method.IsOverride) || method.IsSealed || method.ContainingType is { IsSealed: true };

    /// <summary><c>return ScopeAsync(DefaultName);</c> where that method (certain, not virtual) itself runs synchronously.</summary>
    private bool IsSynchronousCall(IOperation value, int depth) =>
        value.WalkDownConversions() is IInvocationOperation { TargetMethod: var target }
        && IsCertainTarget(target)
        && RunsSynchronously(target.OriginalDefinition, depth - 1);

    private bool IsCompletedValue(IOperation value)
    {
        value = value.WalkDownConversions();
        return value switch
        {
            IDefaultValueOperation => true,
            IPropertyReferenceOperation { Property.Name: "CompletedTask" } p => _symbols.IsTaskLike(p.Type),
            IInvocationOperation { TargetMethod: { Name: "FromResult" or "FromException" or "FromCanceled" } m } => _symbols.IsTaskLike(m.ReturnType),
            IObjectCreationOperation creation => _symbols.IsTaskLike(creation.Type) && creation.Arguments.All(a => !_symbols.IsTaskLike(a.Value.WalkDownConversions().Type)),
            _ => false,
        };
    }

    private static bool IsLossy(ITypeSymbol from, ITypeSymbol to)
    {
        var source = from.SpecialType;
        var target = to.SpecialType;
        if (source == target)
            return false;
        var wideIntegral = source is SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;
        var integral = wideIntegral || source is SpecialType.System_Int32 or SpecialType.System_UInt32;
        return (target == SpecialType.System_Single && integral) || (target == SpecialType.System_Double && wideIntegral);
    }

    private bool OnlyWraps(IMethodSymbol twin, IMethodSymbol sync)
    {
        if (twin.DeclaringSyntaxReferences.Length == 0 || _sourceBodyOf(twin) is not { } body)
            return false;
        var block = body switch
        {
            IMethodBodyOperation m => m.BlockBody ?? m.ExpressionBody,
            IBlockOperation b => b,
            _ => null,
        };
        if (block is null)
            return false;
        var statements = block.Operations;
        // M(…) of the sync method's type, or of the twin's own type when that implements or derives from it (an
        // interface's implementation calling its own Scope(n)).
        bool IsSyncCall(IOperation? operation) =>
            operation?.WalkDownConversions() is IInvocationOperation call
            && call.TargetMethod.Name == sync.Name
            && (KnownSymbols.Eq(call.TargetMethod.ContainingType?.OriginalDefinition, sync.ContainingType?.OriginalDefinition)
                || (sync.ContainingType is { } syncType && KnownSymbols.IsOrImplements(twin.ContainingType, syncType.OriginalDefinition)
                    && KnownSymbols.IsOrImplements(call.TargetMethod.ContainingType, syncType.OriginalDefinition)));
        switch (statements.Length)
        {
            case 1 when statements[0] is IReturnOperation { ReturnedValue: { } value }:
                value = value.WalkDownConversions();
                return value switch
                {
                    IObjectCreationOperation { Arguments.Length: 1 } creation => IsSyncCall(creation.Arguments[0].Value), // new ValueTask<T>(M(…))
                    IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } fromResult => IsSyncCall(fromResult.Arguments[0].Value),
                    _ => false,
                };
            case 2 when statements[0] is IExpressionStatementOperation { Operation: var call } && IsSyncCall(call):
                return statements[1] is IReturnOperation { ReturnedValue: { } done }
                    && (done.WalkDownConversions() is IDefaultValueOperation or IPropertyReferenceOperation { Property.Name: "CompletedTask" } or IObjectCreationOperation { Arguments.Length: 0 });
            default:
                return false;
        }
    }

    private bool IsObsolete(IMethodSymbol method) =>
        method.GetAttributes().Any(a => KnownSymbols.Eq(a.AttributeClass, _symbols.Tasks.ObsoleteAttribute));

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
    public static bool IsCounterpartOfEnclosing(IInvocationOperation invocation, IMethodSymbol enclosing, string twinName)
    {
        if (enclosing.Name != twinName)
            return false;
        var onSelf = invocation.Instance is null or IInstanceReferenceOperation;
        var target = invocation.TargetMethod.ContainingType;
        return onSelf && (SymbolEqualityComparer.Default.Equals(enclosing.ContainingType, target)
            || KnownSymbols.InheritsFrom(enclosing.ContainingType, target?.OriginalDefinition)); // Read() of a base class inside ReadAsync()
    }

    private static ITypeSymbol? ReceiverType(IInvocationOperation invocation)
    {
        if (invocation.Syntax is InvocationExpressionSyntax { Expression: not (MemberAccessExpressionSyntax or MemberBindingExpressionSyntax) })
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
            _ => null, // delegate invocations are left alone.
        };

    private static SimpleNameSyntax RenameSimple(SimpleNameSyntax simple, string name) =>
        simple is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(name))
            : SyntaxFactory.IdentifierName(name);
}
