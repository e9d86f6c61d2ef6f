using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Why a synchronous source method blocks: the chain of methods from it down to the one whose body holds the blocking
/// operation, and that operation (<c>LoadConfig → ReadSettings → File.ReadAllText (synchronous I/O)</c>).
/// </summary>
internal sealed class BlockingSummary
{
    public BlockingSummary(ImmutableArray<string> chain, string leaf, BlockingKind kind, ArgumentGuard? guard = null)
    {
        Chain = chain;
        Leaf = leaf;
        Kind = kind;
        Guard = guard;
    }

    /// <summary>
    /// When the blocking code runs only for some values of a parameter (<c>if (type == typeof(Stream)) File.WriteAllBytes(…)</c>):
    /// that condition, which a call site's constant argument can rule out. <see langword="null"/>: it blocks whatever the arguments.
    /// </summary>
    public ArgumentGuard? Guard { get; }

    /// <summary>The summarized method first, then each callee down to the one that blocks.</summary>
    public ImmutableArray<string> Chain { get; }

    /// <summary>The blocking operation, as the other rules' messages name it (<c>File.ReadAllText</c>, <c>Task.Wait()</c>).</summary>
    public string Leaf { get; }

    public BlockingKind Kind { get; }

    /// <summary>The same chain seen from a caller, holding under the caller's own guard (if any).</summary>
    public BlockingSummary Under(string caller, ArgumentGuard? guard) => new(Chain.Insert(0, caller), Leaf, Kind, guard);

    public override string ToString() => string.Join(" → ", Chain) + " → " + Leaf + " (" + Label(Kind) + ")";

    /// <summary>How messages name a kind of blocking: <c>synchronous wait</c>, <c>sleep</c>, <c>synchronous I/O</c>, <c>blocking wait</c>.</summary>
    public static string Label(BlockingKind kind) =>
        kind switch
        {
            BlockingKind.TaskWait => "synchronous wait",
            BlockingKind.Sleep => "sleep",
            BlockingKind.Primitive => "blocking wait",
            _ => "synchronous I/O",
        };
}

/// <summary>
/// CONC005's per-compilation memo: does a synchronous method, local function, property or indexer getter, or
/// constructor defined in source block — by exactly the CONC001–CONC004 patterns and their precision rules, judged as if
/// its body ran in async context — itself or through the calls it makes whose target is certain? Computed on first need
/// for the depth a caller asks (<c>CONC005.max_depth</c>), shared by every call site; a summary that no depth cap cut
/// short is served to every deeper request too (<see cref="SummaryTable{TSummary}"/>), so a body is walked once.
/// </summary>
internal sealed class BlockingSummaries
{
    private readonly ConcurrencyAnalysis _analysis;
    private readonly SummaryTable<Result> _table = new(r => r?.ExactFrom);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, IOperation?> _visibleBodies = new(SymbolEqualityComparer.Default);

    public BlockingSummaries(ConcurrencyAnalysis analysis) => _analysis = analysis;

    /// <summary>How many bodies were summarized (for tests and measurements).</summary>
    public int Computed => _table.Computed;

    /// <summary>A summary and the smallest depth from which it holds whatever the cap (<see langword="null"/>: only at its own depth).</summary>
    private sealed class Result
    {
        public Result(ImmutableArray<BlockingSummary> alternatives, int? exactFrom)
        {
            Alternatives = alternatives;
            ExactFrom = exactFrom;
        }

        /// <summary>
        /// Empty when it does not block; otherwise one unguarded summary, or the guarded ones in source order (each holds
        /// only when its guard does).
        /// </summary>
        public ImmutableArray<BlockingSummary> Alternatives { get; }

        public int? ExactFrom { get; }
    }

    /// <summary>
    /// Why <paramref name="method"/> blocks for some arguments, looking at most <paramref name="depth"/> bodies down;
    /// <see langword="null"/> when it does not.
    /// </summary>
    public BlockingSummary? Of(IMethodSymbol method, int depth) =>
        _table.Get(method, depth, Compute) is { Alternatives: { Length: > 0 } alternatives } ? alternatives[0] : null;

    /// <summary>
    /// Why the call <paramref name="site"/> of <paramref name="method"/> blocks, with its arguments: a summary whose
    /// guard the call's constant arguments rule out (<c>Deserialize(response, typeof(Bucket))</c> against <c>if (type ==
    /// typeof(Stream))</c>) does not hold there.
    /// </summary>
    public BlockingSummary? At(IOperation site, IMethodSymbol method, int depth)
    {
        if (_table.Get(method, depth, Compute) is not { Alternatives: { Length: > 0 } alternatives })
            return null;
        foreach (var alternative in alternatives)
        {
            if (alternative.Guard is not { } guard || !guard.IsRuledOutAt(site))
                return alternative;
        }

        return null;
    }

    /// <summary>The method an operation runs synchronously: a call's target, a property or indexer read's getter, a constructor.</summary>
    public static IMethodSymbol? TargetOf(IOperation operation) =>
        operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IPropertyReferenceOperation property when IsRead(property) => property.Property.GetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };

    private static bool IsRead(IPropertyReferenceOperation property) =>
        property.Parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target != property,
            ICompoundAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation => false,
            _ => true,
        };

    /// <summary>
    /// Whether a call of <paramref name="method"/> is judged by its body: defined in source, synchronous (not async, not
    /// returning an awaitable, not an iterator), and a target that is certain — static, non-virtual, sealed, a local
    /// function, an extension method, a constructor or getter of those. Virtual, abstract and interface targets are
    /// not followed: the body that runs is not known here (CONC003 judges them by name).
    /// </summary>
    public bool IsJudgedByBody(IMethodSymbol method)
    {
        var certain = method.IsStatic || method.MethodKind is MethodKind.LocalFunction or MethodKind.Constructor
            || !(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType is { IsSealed: true };
        return certain && HasVisibleBody(method);
    }

    /// <summary>
    /// A synchronous source method with a real body (not a placeholder, not an iterator), whether or not the target is
    /// certain. For a virtual one the declared body is the best knowledge there is: when it does not block, CONC003 does
    /// not report the call by its sibling's name either (an override elsewhere may differ, so CONC005 never reports it).
    /// </summary>
    public bool HasVisibleBody(IMethodSymbol method)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet or MethodKind.Constructor))
            return false;
        if (method.DeclaringSyntaxReferences.IsDefaultOrEmpty || method.IsAbstract || method.IsExtern)
            return false;
        return !_analysis.IsAsyncFunction(method) && Body(method) is not null;
    }

    /// <summary>The body a call of <paramref name="method"/> is judged by, decided once per method (every call site asks).</summary>
    private IOperation? Body(IMethodSymbol method) =>
        _visibleBodies.GetOrAdd(method.PartialImplementationPart ?? method.OriginalDefinition, m =>
        {
            var body = _analysis.SourceBodyOf(m, System.Threading.CancellationToken.None);
            // An iterator's body runs when it is enumerated, not when it is called. A placeholder body (empty, only
            // throwing, only returning a constant) is not the implementation that will run: the name decides (CONC003),
            // as for metadata.
            return body is null || body.Syntax.DescendantNodes().Any(n => n is YieldStatementSyntax) || Placeholders.IsPlaceholder(body) ? null : body;
        });

    private Result Compute(IMethodSymbol method, int depth)
    {
        if (!HasVisibleBody(method) || Body(method) is not { } body)
            return new Result(ImmutableArray<BlockingSummary>.Empty, 1);
        var scope = ScopeOf(method, body);
        var index = _analysis.IndexOf(body);
        var name = NameOf(method);
        var height = 1;
        var cut = false;
        var getter = method.MethodKind == MethodKind.PropertyGet;
        // Blocking that runs only for some values of a parameter: kept, in source order, while an unguarded one is sought.
        var guarded = ImmutableArray.CreateBuilder<BlockingSummary>();
        foreach (var operation in OwnOperations(body))
        {
            if (operation.IsInsideNameOf() || (getter && IsFirstUseFallback(operation, body)))
                continue;
            if (_analysis.Classifier.Candidate(operation) is { } api && _analysis.Classifier.Classify(operation, api, scope) is { } blocking)
            {
                var found = new BlockingSummary(ImmutableArray.Create(name), blocking.ShortName, blocking.Kind, ArgumentGuard.Of(operation, body, index, method));
                if (found.Guard is null)
                    return new Result(ImmutableArray.Create(found), cut ? null : height);
                guarded.Add(found);
                continue;
            }

            if (!IsFollowedCall(operation, scope, out var callee))
                continue;
            if (depth <= 1)
            {
                cut = true; // a body the cap keeps us from reading: this answer holds for this depth only
                continue;
            }

            var below = _table.Get(callee, depth - 1, Compute);
            if (below?.ExactFrom is int from)
                height = Math.Max(height, from + 1);
            else
                cut = true;
            if (below is null)
                continue;
            foreach (var summary in below.Alternatives)
            {
                // A callee's guard on its parameter: ruled out by this call's constant argument, or passed on to this
                // method's own parameter when the argument is that parameter; otherwise it may hold.
                ArgumentGuard? guard = null;
                if (summary.Guard is { } inner)
                {
                    var argument = ArgumentGuard.ArgumentOf(operation, inner.Ordinal);
                    if (inner.IsRuledOutBy(argument))
                        continue;
                    guard = inner.PassedOn(argument, method, index);
                }

                var lifted = summary.Under(name, guard ?? ArgumentGuard.Of(operation, body, index, method));
                if (lifted.Guard is null)
                    return new Result(ImmutableArray.Create(lifted), cut ? null : height);
                guarded.Add(lifted);
                break;
            }
        }

        return new Result(guarded.ToImmutable(), cut ? null : height);
    }

    /// <summary>
    /// In a getter, the code that runs only until a value is cached: inside <c>if (_value == null) { … }</c> (a field
    /// of the type tested for null, default or false), or after an early <c>if (…) return _value;</c> of a field. Such a
    /// getter blocks on first use, not on the reads that make up almost all of its calls.
    /// </summary>
    private static bool IsFirstUseFallback(IOperation operation, IOperation body)
    {
        IOperation child = operation;
        foreach (var ancestor in operation.Ancestors())
        {
            if (ancestor is IConditionalOperation conditional && conditional.WhenTrue == child && TestsUnsetField(conditional.Condition))
                return true;
            if (ancestor is IBlockOperation block)
            {
                foreach (var previous in block.Operations)
                {
                    if (previous == child)
                        break;
                    if (previous is IConditionalOperation { WhenFalse: null, WhenTrue: var arm }
                        && Unwrap(arm) is IReturnOperation { ReturnedValue: { } cached } && IsOwnField(cached))
                        return true;
                }
            }

            if (ancestor == body)
                break;
            child = ancestor;
        }

        return false;

        static IOperation Unwrap(IOperation arm) => arm is IBlockOperation { Operations.Length: 1 } single ? single.Operations[0] : arm;
    }

    private static bool IsOwnField(IOperation value) =>
        value.WalkDownConversions() is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } or IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.IsIndexer: false };

    private static bool TestsUnsetField(IOperation condition)
    {
        condition = condition.WalkDownConversions();
        return condition switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals =>
                (IsOwnField(equals.LeftOperand) && IsUnset(equals.RightOperand)) || (IsOwnField(equals.RightOperand) && IsUnset(equals.LeftOperand)),
            IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern => IsOwnField(pattern.Value) && IsUnset(constant.Value),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var flag } => IsOwnField(flag),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either => TestsUnsetField(either.LeftOperand) || TestsUnsetField(either.RightOperand),
            _ => false,
        };

        static bool IsUnset(IOperation value) =>
            value.WalkDownConversions() is IDefaultValueOperation || value.ConstantValue is { HasValue: true, Value: null or false or 0 };
    }

    /// <summary>
    /// A call (or getter read, or construction) in a body that is judged by its callee's summary: not excluded, not
    /// listed as blocking (CONC003 owns those), not on the synchronous side of a shared sync/async code path.
    /// </summary>
    public bool IsFollowedCall(IOperation operation, FunctionScope scope, out IMethodSymbol callee)
    {
        callee = null!;
        if (TargetOf(operation) is not { } target || !IsJudgedByBody(target))
            return false;
        var tree = operation.Syntax.SyntaxTree;
        if (_analysis.Settings.ExcludedApis(tree).Contains(target) || _analysis.Settings.AdditionalBlockingApis(tree).Contains(target))
            return false;
        if (SharedCodePath.IsSynchronousBranch(operation, scope, _analysis.Symbols.Tasks) || ErrorPaths.IsTeardownBeforeRethrow(operation))
            return false;
        callee = target;
        return true;
    }

    /// <summary>How a chain names a method: <c>LoadConfig</c>, <c>Settings</c> (a getter), <c>this[]</c>, <c>new Client</c>.</summary>
    public static string NameOf(IMethodSymbol method) =>
        method.MethodKind switch
        {
            MethodKind.PropertyGet when method.AssociatedSymbol is IPropertySymbol { IsIndexer: true } => "this[]",
            MethodKind.PropertyGet => method.AssociatedSymbol?.Name ?? method.Name,
            MethodKind.Constructor => "new " + method.ContainingType.Name,
            _ => method.Name,
        };

    private static FunctionScope ScopeOf(IMethodSymbol method, IOperation body)
    {
        ISymbol member = method;
        while (member is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction } && member.ContainingSymbol is { } outer)
            member = outer;
        if (member is IMethodSymbol { AssociatedSymbol: { } property })
            member = property;
        return new FunctionScope(method, body.Parent as ILocalFunctionOperation, body, member);
    }

    /// <summary>
    /// The operations that run when the body runs, in source order: lambdas and local functions declared in it are not
    /// entered (they run when invoked; a call of a local function is followed like any call).
    /// </summary>
    public static IEnumerable<IOperation> OwnOperations(IOperation body)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            yield return operation;
            foreach (var child in operation.ChildOperations.Reverse())
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                    stack.Push(child);
            }
        }
    }
}
