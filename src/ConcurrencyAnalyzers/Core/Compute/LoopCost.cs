using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// CONC010's cost model for a loop in async code, small enough to predict (docs/rules/CONC010.md). A loop is heavy when
/// (in this order): a CPU-heavy call (CONC011's list) runs in it; it calls a recursive helper of the project; its
/// constant bounds — its own times those of the loops nested in it — reach <c>CONC010.min_constant_iterations</c>
/// (<c>for (i = 0; i &lt; 100_000; i++)</c>, <c>foreach (… in Enumerable.Range(0, 100_000))</c>); it never ends by its
/// condition (<c>while (true)</c>, <c>for (;;)</c>); it nests a loop that computes (multiplies, divides, calls
/// <c>Math</c>) and is not a walk of the outer element's own parts (<c>foreach (a in xs) foreach (b in ys)</c> is a
/// quadratic pass, <c>foreach (o in orders) foreach (l in o.Lines)</c> one walk of the data); or a loop nested in it is
/// heavy. A loop that awaits anything, or whose cost is a blocking call (CONC001–CONC005 report those), is not heavy.
/// Of nested loops that qualify, only the outermost is reported. Verdicts are memoized per loop: CONC011 asks too (a heavy call
/// inside a reported loop is the loop's report).
/// </summary>
internal sealed class LoopCost
{
    private readonly ConcurrencyAnalysis _analysis;
    private readonly ConcurrentDictionary<SyntaxNode, string?> _reasons = new();
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _recursive = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _nestedLoops = new(SymbolEqualityComparer.Default);

    public LoopCost(ConcurrencyAnalysis analysis) => _analysis = analysis;

    /// <summary>
    /// Why <paramref name="loop"/> is reported (<c>"a constant bound of 100,000 iterations"</c>), or <see langword="null"/>
    /// when it is not: not heavy, it awaits or blocks, or a loop around it in the same function is reported instead.
    /// </summary>
    public string? ReportedReason(ILoopOperation loop, AsyncContext context)
    {
        if (Qualifies(loop, context) is not { } reason)
            return null;
        for (var parent = loop.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                break;
            if (parent is ILoopOperation outer && QualifiesAsOuter(outer, context))
                return null; // the outermost qualifying loop is the report
        }

        return reason;
    }

    /// <summary>The loop around <paramref name="operation"/> (in its function) that CONC010 reports, if any.</summary>
    public ILoopOperation? ReportedLoopAround(IOperation operation, AsyncContext context)
    {
        ILoopOperation? reported = null;
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                break;
            if (parent is ILoopOperation loop && QualifiesAsOuter(loop, context) && Qualifies(loop, context) is not null)
                reported = loop;
        }

        return reported;
    }

    /// <summary>An enclosing loop that contains a heavy loop is itself heavy (its cost is at least the inner one's); it qualifies when it does not await or block.</summary>
    private bool QualifiesAsOuter(ILoopOperation loop, AsyncContext context) => !AwaitsOrBlocks(loop, context);

    private string? Qualifies(ILoopOperation loop, AsyncContext context) =>
        _reasons.GetOrAdd(loop.Syntax, _ => AwaitsOrBlocks(loop, context) ? null : Heavy(loop, context));

    private string? Heavy(ILoopOperation loop, AsyncContext context)
    {
        var tree = loop.Syntax.SyntaxTree;
        var additional = _analysis.Settings.AdditionalCpuHeavyApis(tree);
        foreach (var operation in BlockingSummaries.OwnOperations(loop))
        {
            if (_analysis.CpuHeavy.Classify(operation, additional) is { } heavy)
                return "it calls '" + heavy.Display + "' (" + heavy.Work + ")";
            if (operation is IInvocationOperation call && IsRecursive(call.TargetMethod))
                return "it calls '" + call.TargetMethod.Name + "', which is recursive";
            if (operation is IInvocationOperation helper && RunsNestedComputingLoops(helper.TargetMethod))
                return "it calls '" + helper.TargetMethod.Name + "', whose nested loops compute";
        }

        if (ConstantTotal(loop) is { } count && count >= _analysis.Settings.MinConstantIterations(tree))
            return "constant bounds of " + count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " iterations";
        if (IsUnbounded(loop) && !Drains(loop))
            return "it only ends by a break";
        var smallTotal = ConstantTotal(loop) is { } total && total < _analysis.Settings.MinConstantIterations(tree);
        foreach (var inner in InnerLoops(loop))
        {
            if (!smallTotal && !WalksPartsOf(inner, loop) && !IsShort(inner) && Computes(inner))
                return "a nested loop that computes makes it a quadratic pass";
            if (Heavy(inner, context) is { } reason)
                return reason; // a loop around a heavy loop costs at least as much
        }

        return null;
    }

    /// <summary>A synchronous method of the project whose body calls itself (<c>Fib(n - 1) + Fib(n - 2)</c>).</summary>
    private bool IsRecursive(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        if (definition.DeclaringSyntaxReferences.IsDefaultOrEmpty || _analysis.IsAsyncFunction(definition))
            return false;
        // Any recursion, as rules.md has it: Fib(n - 1) + Fib(n - 2), and also a walk of a tree of unknown depth and size.
        return _recursive.GetOrAdd(definition, m =>
            _analysis.SourceBodyOf(m, default) is { } body
            && BlockingSummaries.OwnOperations(body).Any(o => o is IInvocationOperation self && KnownSymbols.Eq(self.TargetMethod.OriginalDefinition, m)));
    }

    /// <summary>
    /// A synchronous method of the project whose body nests a loop that computes in another loop (an edit distance, a
    /// matrix product): called once per iteration, its cost multiplies the loop's.
    /// </summary>
    private bool RunsNestedComputingLoops(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        if (definition.DeclaringSyntaxReferences.IsDefaultOrEmpty || _analysis.IsAsyncFunction(definition))
            return false;
        return _nestedLoops.GetOrAdd(definition, m =>
            _analysis.SourceBodyOf(m, default) is { } body
            && BlockingSummaries.OwnOperations(body).OfType<ILoopOperation>().Any(outer => InnerLoops(outer).Any(inner => !WalksPartsOf(inner, outer) && Computes(inner))));
    }

    /// <summary>The loops directly inside <paramref name="loop"/> (not those inside them, nor in lambdas).</summary>
    private static System.Collections.Generic.IEnumerable<ILoopOperation> InnerLoops(ILoopOperation loop) =>
        BlockingSummaries.OwnOperations(loop.Body).OfType<ILoopOperation>()
            .Where(inner => inner.Parent is not null && FirstLoopAbove(inner) == loop);

    private static ILoopOperation? FirstLoopAbove(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
                return loop;
        }

        return null;
    }

    /// <summary>The iterations of the loop and the loops nested in it, when every bound on the way is a constant.</summary>
    private long? ConstantTotal(ILoopOperation loop)
    {
        if (ConstantIterations(loop) is not { } own)
            return null;
        long inner = 1;
        foreach (var nested in InnerLoops(loop))
        {
            if (ConstantTotal(nested) is { } total && total > inner)
                inner = total;
        }

        return own * inner;
    }

    /// <summary>The loop's body does arithmetic that costs: multiplication, division, remainder, shifts, or <c>Math</c>.</summary>
    private static bool Computes(ILoopOperation loop) =>
        BlockingSummaries.OwnOperations(loop.Body).Any(o => o switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.ExclusiveOr } binary
                => binary.Type?.SpecialType is not SpecialType.System_String,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.ExclusiveOr } => true,
            IInvocationOperation { TargetMethod.ContainingType: { Name: "Math" or "MathF" or "BitOperations" or "Vector" } } => true,
            _ => false,
        });

    /// <summary>An <c>await</c> (also <c>await foreach</c>/<c>await using</c>), or an operation CONC001–CONC005 report.</summary>
    private bool AwaitsOrBlocks(ILoopOperation loop, AsyncContext context)
    {
        if (loop is IForEachLoopOperation { IsAsynchronous: true })
            return true;
        foreach (var operation in BlockingSummaries.OwnOperations(loop))
        {
            switch (operation)
            {
                case IAwaitOperation:
                case IReturnOperation { Kind: OperationKind.YieldReturn }: // an async iterator's consumer runs between items
                case IForEachLoopOperation { IsAsynchronous: true }:
                case IUsingOperation { IsAsynchronous: true }:
                case IUsingDeclarationOperation { IsAsynchronous: true }:
                    return true;
            }

            if (operation is not (IInvocationOperation or IPropertyReferenceOperation or IObjectCreationOperation or IUsingOperation or IUsingDeclarationOperation))
                continue;
            if (_analysis.BlockingAt(operation, context.Scope) is { Direct: not null } or { Helper: not null })
                return true;
        }

        return false;
    }

    /// <summary><c>for (var i = a; i &lt; b; i++)</c> with constants, or <c>foreach (… in Enumerable.Range(a, n))</c> with a constant <c>n</c>.</summary>
    private long? ConstantIterations(ILoopOperation loop)
    {
        switch (loop)
        {
            case IForLoopOperation { Condition: IBinaryOperation condition } forLoop:
                var start = forLoop.Before.SelectMany(b => b.DescendantsAndSelf()).OfType<IVariableInitializerOperation>().Select(i => AsLong(i.Value)).FirstOrDefault() ?? 0;
                var (limit, inclusive) = condition.OperatorKind switch
                {
                    BinaryOperatorKind.LessThan => (AsLong(condition.RightOperand), false),
                    BinaryOperatorKind.LessThanOrEqual => (AsLong(condition.RightOperand), true),
                    BinaryOperatorKind.GreaterThan => (AsLong(condition.LeftOperand), false),
                    BinaryOperatorKind.GreaterThanOrEqual => (AsLong(condition.LeftOperand), true),
                    _ => (null, false),
                };
                return limit is { } end ? end - start + (inclusive ? 1 : 0) : null;
            case IForEachLoopOperation { Collection: var collection }:
                return collection.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "Range", Arguments.Length: 2 } range
                    && KnownSymbols.Eq(range.TargetMethod.ContainingType, _analysis.Symbols.Collections.Enumerable)
                    ? AsLong(range.Arguments[1].Value)
                    : null;
            default:
                return null;
        }
    }

    private static long? AsLong(IOperation operation) =>
        operation.WalkDownConversions().ConstantValue is { HasValue: true, Value: { } value } && value is int or long or short or uint
            ? System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// The inner loop walks a part of the outer loop's element (<c>o.Lines</c>, <c>row.Cells.Count</c>): together they
    /// visit the data once. Anything else — another collection, an index range — multiplies the iterations.
    /// </summary>
    private static bool WalksPartsOf(ILoopOperation inner, ILoopOperation outer)
    {
        var element = outer is IForEachLoopOperation foreachLoop ? foreachLoop.Locals.FirstOrDefault() : null;
        if (element is null)
            return false;
        var source = inner switch
        {
            IForEachLoopOperation f => f.Collection,
            IForLoopOperation { Condition: IBinaryOperation c } => c.RightOperand,
            _ => null,
        };
        for (var current = source?.WalkDownConversions(); current is not null;)
        {
            if (current is ILocalReferenceOperation local)
                return KnownSymbols.Eq(local.Local, element);
            current = current switch
            {
                IPropertyReferenceOperation p => p.Instance?.WalkDownConversions(),
                IFieldReferenceOperation f => f.Instance?.WalkDownConversions(),
                IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } e => e.Arguments[0].Value.WalkDownConversions(),
                IInvocationOperation i => i.Instance?.WalkDownConversions(),
                IArrayElementReferenceOperation a => a.ArrayReference.WalkDownConversions(),
                _ => null,
            };
        }

        return false;
    }

    /// <summary>An inner loop with a constant bound below 100 (<c>for (k = 0; k &lt; 4; k++)</c>) does not multiply the outer loop's cost by much.</summary>
    private bool IsShort(ILoopOperation loop) => ConstantIterations(loop) is { } count && count < 100;

    /// <summary>
    /// A loop that takes items from an object until there are none (<c>if (!queue.TryDequeue(out var x)) break;</c>,
    /// <c>e.MoveNext()</c>, <c>reader.Read()</c>): as long as its data, not a computation without end.
    /// </summary>
    private static bool Drains(ILoopOperation loop) =>
        BlockingSummaries.OwnOperations(loop.Body).Any(o => o is IInvocationOperation { TargetMethod.Name: var name, Instance: not null }
            && (name.StartsWith("Try", System.StringComparison.Ordinal) || name is "MoveNext" or "Read" or "ReadLine" or "Dequeue" or "Pop"));

    /// <summary><c>while (true)</c>, <c>for (;;)</c>, <c>do … while (true)</c>: only a <c>break</c> (or <c>return</c>, <c>throw</c>) ends it.</summary>
    private static bool IsUnbounded(ILoopOperation loop) =>
        loop switch
        {
            IWhileLoopOperation { Condition: null } => true,
            IWhileLoopOperation { Condition.ConstantValue: { HasValue: true, Value: true } } => true,
            IForLoopOperation { Condition: null } => true,
            IForLoopOperation { Condition.ConstantValue: { HasValue: true, Value: true } } => true,
            _ => false,
        };
}
