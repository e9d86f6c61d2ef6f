using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The one analysis object of a compilation, shared by every analyzer of the package: the known symbols, the typed
/// settings, the twin finder, the blocking classifier and the memo tables (async verdicts, body indexes, source bodies,
/// blocking summaries). Everything in it is safe to share between concurrent callbacks, and every memo is keyed by what
/// its answer depends on, so results never depend on the order of callbacks.
/// </summary>
internal sealed class ConcurrencyAnalysis
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrencyAnalysis> Cache = new();

    private readonly ConcurrentDictionary<ITypeSymbol, bool> _asyncReturnTypes = new(SymbolEqualityComparer.Default);
    private readonly Func<ITypeSymbol, bool> _isAsyncReturnType;

    // Keyed by the body operation itself: an index lives exactly as long as the operation tree (the semantic model) it
    // describes, and analyzers of one driver share one model per tree, so they share the index.
    private readonly ConditionalWeakTable<IOperation, BodyIndex> _bodyIndexes = new();
    private readonly ConditionalWeakTable<IOperation, BodyIndex>.CreateValueCallback _buildIndex;
    private readonly SourceBodies _sourceBodies;
    private readonly ConcurrentDictionary<SyntaxNode, ThreadVerdict?> _threadVerdicts = new();

    private ConcurrencyAnalysis(Compilation compilation, AnalyzerConfigOptionsProvider options)
    {
        NamesWrittenWithoutCall = new System.Lazy<System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax>>>(
            () => MethodGroups.IndexNamesWrittenWithoutCall(compilation, System.Threading.CancellationToken.None));
        Symbols = new KnownSymbols(compilation);
        Settings = new AnalyzerSettings(compilation, options, Symbols.Libraries.HasRuntime);
        _sourceBodies = new SourceBodies(compilation);
        var implementations = new SourceImplementations(compilation);
        Twins = new AsyncTwinFinder(Symbols, m => _sourceBodies.Get(m, System.Threading.CancellationToken.None), implementations.Of);
        Factories = new SourceFactories(Symbols, m => _sourceBodies.Get(m, System.Threading.CancellationToken.None), implementations.Of,
            new CallSites(compilation, tree => _sourceBodies.ModelOf(tree), implementations.Of, NamesWrittenWithoutCall));
        Classifier = new BlockingClassifier(this);
        Summaries = new BlockingSummaries(this);
        CpuHeavy = new CpuHeavyApis(Symbols);
        Loops = new LoopCost(this);
        _isAsyncReturnType = t => AwaitableTypes.IsAsyncReturnType(t, Symbols);
        _buildIndex = body => BodyIndex.Build(body, Symbols.Tasks);
    }

    /// <summary>
    /// The analysis of <paramref name="compilation"/>. Analyzers of one driver share one options provider; a caller
    /// with other options (a host running analyzers in several drivers) gets an unshared object, never stale settings.
    /// </summary>
    public static ConcurrencyAnalysis For(Compilation compilation, AnalyzerOptions options)
    {
        var provider = options.AnalyzerConfigOptionsProvider;
        var shared = Cache.GetValue(compilation, c => new ConcurrencyAnalysis(c, provider));
        return ReferenceEquals(shared.Settings.Provider, provider) ? shared : new ConcurrencyAnalysis(compilation, provider);
    }

    public KnownSymbols Symbols { get; }

    /// <summary>The names of the compilation written without a call, by name (<see cref="MethodGroups"/>), built on first need.</summary>
    public System.Lazy<System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax>>> NamesWrittenWithoutCall { get; }

    public AnalyzerSettings Settings { get; }

    public AsyncTwinFinder Twins { get; }

    /// <summary>Source methods that hand out only in-memory values (a <c>CreateStream()</c> returning memory streams).</summary>
    public SourceFactories Factories { get; }

    public BlockingClassifier Classifier { get; }

    /// <summary>CONC011's list of CPU-heavy APIs.</summary>
    public CpuHeavyApis CpuHeavy { get; }

    /// <summary>
    /// What CONC001–CONC005 say of an operation judged in <paramref name="scope"/>: the blocking operation the
    /// classifier finds, or else the summary of a followed helper that blocks, or neither. The rules that ask "does this
    /// code block" (CONC010's loops, CONC021's threads, CONC023, its loop fix) ask here.
    /// </summary>
    public (BlockingOperation? Direct, BlockingSummary? Helper, IMethodSymbol? Callee) BlockingAt(IOperation operation, FunctionScope scope)
    {
        if (Classifier.Candidate(operation) is { } api && Classifier.Classify(operation, api, scope) is { } blocking)
            return (blocking, null, null);
        if (Summaries.IsFollowedCall(operation, scope, out var callee) && Summaries.Of(callee, Settings.MaxDepth(operation.Syntax.SyntaxTree)) is { } summary)
            return (null, summary, callee);
        return (null, null, null);
    }

    /// <summary>CONC020's and CONC021's verdict on a <c>new Thread(…)</c>, judged once for both rules.</summary>
    public ThreadVerdict? ThreadVerdictOf(Microsoft.CodeAnalysis.Operations.IObjectCreationOperation creation, ISymbol containingSymbol) =>
        _threadVerdicts.GetOrAdd(creation.Syntax, _ => ThreadWork.Judge(creation, containingSymbol, this));

    /// <summary>CONC010's cost model for loops in async code.</summary>
    public LoopCost Loops { get; }

    /// <summary>CONC005's blocking summaries, one per source method, with cycle and depth guards.</summary>
    public BlockingSummaries Summaries { get; }

    /// <summary>Whether the function is async context: <c>async</c>, or returning an awaitable type (memoized per return type).</summary>
    public bool IsAsyncFunction(IMethodSymbol? method)
    {
        if (method is null)
            return false;
        if (method.IsAsync)
            return true;
        var returnType = method.ReturnType;
        if (returnType is not INamedTypeSymbol || returnType.TypeKind == TypeKind.Error)
            return false;
        var definition = returnType.OriginalDefinition;
        return _asyncReturnTypes.TryGetValue(definition, out var known) ? known : _asyncReturnTypes.GetOrAdd(definition, _isAsyncReturnType);
    }

    /// <summary>The facts of a function body, computed on first need and shared by every rule.</summary>
    public BodyIndex IndexOf(IOperation body) => _bodyIndexes.GetValue(body, _buildIndex);

    /// <summary>The body operation of a method defined in this compilation; <see langword="null"/> for metadata, abstract and extern methods.</summary>
    public IOperation? SourceBodyOf(IMethodSymbol method, CancellationToken cancellationToken) =>
        _sourceBodies.Get(method, cancellationToken);

    /// <summary>Reads later bodies of <paramref name="model"/>'s tree through the driver's model (see <see cref="SourceBodies.Offer"/>).</summary>
    public void Offer(SemanticModel? model)
    {
        if (model is not null)
            _sourceBodies.Offer(model);
    }

    /// <summary>The semantic model of a tree of this compilation (a field initializer in another file), created once per tree.</summary>
    public SemanticModel ModelOf(SyntaxTree tree) => _sourceBodies.ModelOf(tree);
}
