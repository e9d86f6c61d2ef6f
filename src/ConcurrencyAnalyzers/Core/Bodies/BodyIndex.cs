using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>A statement that completes a task before what follows it: an <c>await</c>, or a void <c>Wait()</c>/<c>WaitAll</c>.</summary>
internal sealed class CompletionPoint
{
    public CompletionPoint(IOperation operation, IOperation completed, SyntaxNode? function)
    {
        Operation = operation;
        Completed = completed;
        Function = function;
    }

    /// <summary>The <c>await</c> or the <c>Wait</c> call.</summary>
    public IOperation Operation { get; }

    /// <summary>What it completes: the awaited operand (conversions and <c>ConfigureAwait</c> stripped) or the <c>Wait</c> call.</summary>
    public IOperation Completed { get; }

    /// <summary>The innermost lambda or local function it is in, or <see langword="null"/> for the member body.</summary>
    public SyntaxNode? Function { get; }

    public int Start => Operation.Syntax.SpanStart;
}

/// <summary>A write of a variable, parameter or field: an assignment (with its value), or any other write (value <see langword="null"/>).</summary>
internal readonly struct Write
{
    public Write(int position, IOperation? value, bool isDeclaration)
    {
        Position = position;
        Value = value;
        IsDeclaration = isDeclaration;
    }

    public int Position { get; }

    /// <summary>The assigned value; <see langword="null"/> for compound, increment, <c>ref</c>/<c>out</c> and deconstruction writes.</summary>
    public IOperation? Value { get; }

    /// <summary>The declarator's initializer (<c>var t = …</c>), not an assignment.</summary>
    public bool IsDeclaration { get; }
}

/// <summary>
/// Facts about one function body, computed by one walk and shared by every query and every rule: its awaits and
/// completing waits, the writes per symbol, the collections of its <c>foreach</c> locals, its loops, and the last call
/// made on each local. The completed-task deciders and CONC010 read it instead of walking the body again.
/// </summary>
internal sealed class BodyIndex
{
    private static readonly Write[] NoWrites = System.Array.Empty<Write>();
    private readonly Dictionary<ISymbol, List<Write>> _writes = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, List<IOperation>> _foreachCollections = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, IInvocationOperation> _lastCall = new(SymbolEqualityComparer.Default);
    private readonly List<CompletionPoint> _completions = new();
    private readonly List<ILoopOperation> _loops = new();
    private readonly List<int> _awaitPositions = new();

    private BodyIndex(IOperation body, TaskSymbols tasks)
    {
        foreach (var operation in body.DescendantsAndSelf())
            Visit(operation, tasks);
        _awaitPositions.Sort();
    }

    public static BodyIndex Build(IOperation body, TaskSymbols tasks) => new(body, tasks);

    /// <summary>Awaits and void waits, in source order.</summary>
    public IReadOnlyList<CompletionPoint> Completions => _completions;

    /// <summary>Every loop of the body (nested functions included).</summary>
    public IReadOnlyList<ILoopOperation> Loops => _loops;

    /// <summary>Every write of <paramref name="symbol"/> in the body, declarations included.</summary>
    public IReadOnlyList<Write> WritesOf(ISymbol symbol) =>
        _writes.TryGetValue(symbol, out var writes) ? writes : NoWrites;

    /// <summary>Whether <paramref name="symbol"/> is written anywhere in <c>(from, to]</c>.</summary>
    public bool IsWrittenBetween(ISymbol symbol, int from, int to)
    {
        if (!_writes.TryGetValue(symbol, out var writes))
            return false;
        foreach (var write in writes)
        {
            if (!write.IsDeclaration && write.Position > from && write.Position <= to)
                return true;
        }

        return false;
    }

    /// <summary>The collections a <c>foreach</c> local iterates (<c>foreach (var t in tasks)</c> → <c>tasks</c>).</summary>
    public IReadOnlyList<IOperation> ForEachCollectionsOf(ILocalSymbol local) =>
        _foreachCollections.TryGetValue(local, out var collections) ? collections : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

    /// <summary>The last call (in source order) made on a local (<c>stream.FlushAsync()</c>).</summary>
    public IInvocationOperation? LastCallOn(ILocalSymbol local) => _lastCall.TryGetValue(local, out var call) ? call : null;

    /// <summary>
    /// Whether an <c>await</c> of <paramref name="function"/> itself (<see langword="null"/>: the member body; not one in a
    /// lambda inside it) comes before <paramref name="position"/> in source order: code after it may run on another thread
    /// than the caller's.
    /// </summary>
    public bool HasAwaitBefore(int position, SyntaxNode? function)
    {
        foreach (var point in _completions)
        {
            if (point.Start >= position)
                return false;
            if (point.Operation is IAwaitOperation && point.Function == function)
                return true;
        }

        return false;
    }

    /// <summary>Whether an <c>await</c> lies inside <paramref name="span"/>.</summary>
    public bool HasAwaitWithin(Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var index = _awaitPositions.BinarySearch(span.Start);
        if (index < 0)
            index = ~index;
        return index < _awaitPositions.Count && _awaitPositions[index] < span.End;
    }

    private void Visit(IOperation operation, TaskSymbols tasks)
    {
        switch (operation)
        {
            case IAwaitOperation awaited:
                _awaitPositions.Add(awaited.Syntax.SpanStart);
                _completions.Add(new CompletionPoint(awaited, CompletedTaskAnalysis.StripConfigureAwait(awaited.Operation.WalkDownConversions(), tasks), EnclosingFunction(awaited)));
                break;
            case IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Wait" or "WaitAll" } wait }
                when wait.TargetMethod.ReturnsVoid && tasks.IsTaskMember(wait.TargetMethod):
                _completions.Add(new CompletionPoint(operation, wait, EnclosingFunction(operation)));
                break;
            case IVariableDeclaratorOperation declarator:
                if (declarator.GetVariableInitializer()?.Value is { } initial)
                    AddWrite(declarator.Symbol, new Write(declarator.Syntax.SpanStart, initial, isDeclaration: true));
                break;
            case ISimpleAssignmentOperation assignment:
                if (assignment.Target.ReferencedSymbol() is { } assigned)
                    AddWrite(assigned, new Write(assignment.Syntax.SpanStart, assignment.Value, isDeclaration: false));
                else if (CollectionOf(assignment.Target) is { } collection)
                    AddWrite(collection, new Write(assignment.Syntax.SpanStart, null, isDeclaration: false)); // tasks[i] = …
                break;
            case ICompoundAssignmentOperation compound:
                AddOtherWrite(compound.Target, compound);
                break;
            case ICoalesceAssignmentOperation coalesce:
                AddOtherWrite(coalesce.Target, coalesce);
                break;
            case IIncrementOrDecrementOperation increment:
                AddOtherWrite(increment.Target, increment);
                break;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byRef:
                AddOtherWrite(byRef.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : byRef.Value, byRef);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var target in deconstruction.Target.DescendantsAndSelf())
                    AddOtherWrite(target, deconstruction);
                break;
            case IForEachLoopOperation forEach:
                _loops.Add(forEach);
                foreach (var local in forEach.Locals)
                {
                    if (!_foreachCollections.TryGetValue(local, out var collections))
                        _foreachCollections[local] = collections = new List<IOperation>();
                    collections.Add(forEach.Collection.WalkDownConversions());
                }

                break;
            case ILoopOperation loop:
                _loops.Add(loop);
                break;
            case IInvocationOperation invocation when invocation.Instance?.WalkDownConversions() is ILocalReferenceOperation receiver:
                if (!_lastCall.TryGetValue(receiver.Local, out var last) || invocation.Syntax.SpanStart > last.Syntax.SpanStart)
                    _lastCall[receiver.Local] = invocation;
                break;
        }
    }

    /// <summary>The collection an element assignment writes into (<c>tasks[0] = …</c>, <c>pending[id] = …</c>).</summary>
    private static ISymbol? CollectionOf(IOperation target) =>
        target.WalkDownConversions() switch
        {
            IArrayElementReferenceOperation element => element.ArrayReference.ReferencedSymbol(),
            IPropertyReferenceOperation { Arguments.Length: > 0 } indexer => indexer.Instance?.ReferencedSymbol(),
            _ => null,
        };

    private void AddOtherWrite(IOperation target, IOperation write)
    {
        if (target.ReferencedSymbol() is { } symbol)
            AddWrite(symbol, new Write(write.Syntax.SpanStart, null, isDeclaration: false));
    }

    private void AddWrite(ISymbol symbol, Write write)
    {
        if (!_writes.TryGetValue(symbol, out var writes))
            _writes[symbol] = writes = new List<Write>();
        writes.Add(write);
    }

    private static SyntaxNode? EnclosingFunction(IOperation operation)
    {
        foreach (var ancestor in operation.Ancestors())
        {
            if (ancestor is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return ancestor.Syntax;
        }

        return null;
    }
}
