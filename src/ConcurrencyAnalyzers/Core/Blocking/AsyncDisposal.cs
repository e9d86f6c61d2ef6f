using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Whether disposing a value synchronously in async code misses a real <c>DisposeAsync</c>: the concrete type must
/// override <c>DisposeAsync</c> itself (not inherit a base class's synchronous fallback) and its disposal must be able to
/// write — not a <c>CancellationTokenRegistration</c>, a timer, a read-only <c>FileStream</c>, or a stream whose
/// <c>FlushAsync</c> was just awaited.
/// </summary>
internal static class AsyncDisposal
{
    /// <param name="type">The static type of the disposed value.</param>
    /// <param name="initializer">The value it was created from, when known.</param>
    /// <param name="local">The variable holding it, when there is one.</param>
    /// <param name="index">The function body's index, to look for an awaited <c>FlushAsync</c> in.</param>
    /// <param name="analysis">The compilation's analysis (its symbols; source <c>DisposeAsync</c> bodies that run synchronously).</param>
    public static bool MissesAsyncDisposal(ITypeSymbol? type, IOperation? initializer, ILocalSymbol? local, BodyIndex index, ConcurrencyAnalysis analysis)
    {
        var symbols = analysis.Symbols;
        if (type is null || symbols.Tasks.IAsyncDisposable is not { } asyncDisposable || type.TypeKind == TypeKind.Error)
            return false;
        if (!KnownSymbols.Eq(type, asyncDisposable) && !type.AllInterfaces.Contains(asyncDisposable, SymbolEqualityComparer.Default)
            && !HasPatternDisposeAsync(type, symbols))
            return false;
        if (KnownSymbols.IsAnyOf(type, symbols.IO.NoIOTypes) || KnownSymbols.IsAnyOf(type, symbols.IO.NoWriteDisposableTypes)
            || KnownSymbols.IsAnyOf(type, symbols.Libraries.SynchronousAsyncTypes))
            return false;
        // using var reader = await ExecuteDbDataReaderAsync(…): held as the abstraction, but made by a source factory
        // whose returns say which readers it is (a provider's own); judged as those.
        if (type is INamedTypeSymbol { IsAbstract: true } held && symbols.IO.DbAbstractions.Contains(held.OriginalDefinition)
            && FactoryOf(initializer, symbols) is { } factory && analysis.Factories.ReturnedTypes(factory) is { } returned
            && !returned.Contains(type, SymbolEqualityComparer.Default))
            return returned.Any(t => MissesAsyncDisposal(t, null, local, index, analysis));
        IMethodSymbol? disposeAsync = null;
        if (type.TypeKind != TypeKind.Interface && !OverridesDisposeAsync(type, symbols, out disposeAsync))
            return false;
        if (disposeAsync is not null && analysis.Twins.RunsSynchronously(disposeAsync))
            return false; // DisposeAsync() { Dispose(); return default; }: the same synchronous disposal
        if (local is not null && IsDrainedReader(local, index, analysis))
            return false;
        if (local is not null && IsDisposedByAwaitedCallee(local, index, analysis))
            return false;
        if (initializer is not null && (IsReadOnlyFile(initializer, symbols) || NoIOApis.IsNoIOValue(initializer, symbols, analysis.Factories)))
            return false;
        return local is null || !IsFlushedLast(local, index);
    }

    /// <summary>The source method a value comes from: <c>M(…)</c>, <c>await M(…)</c>, <c>await M(…).ConfigureAwait(false)</c>.</summary>
    private static IMethodSymbol? FactoryOf(IOperation? value, KnownSymbols symbols)
    {
        value = value?.WalkDownConversions();
        if (value is IAwaitOperation awaited)
            value = CompletedTaskAnalysis.StripConfigureAwait(awaited.Operation, symbols.Tasks).WalkDownConversions();
        return value is IInvocationOperation { TargetMethod: { } method } && method.Locations.Any(l => l.IsInSource) ? method : null;
    }

    /// <summary>A public <c>DisposeAsync()</c> returning an awaitable, which <c>await using</c> binds to without <c>IAsyncDisposable</c>.</summary>
    private static bool HasPatternDisposeAsync(ITypeSymbol type, KnownSymbols symbols)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers("DisposeAsync"))
            {
                if (member is IMethodSymbol { Parameters.Length: 0, IsStatic: false, DeclaredAccessibility: Accessibility.Public } m
                    && symbols.IsTaskLike(m.ReturnType))
                    return true;
            }
        }

        return false;
    }

    /// <summary>The most derived <c>DisposeAsync</c> is not a known synchronous fallback (<c>Stream</c>'s, <c>TextWriter</c>'s, ADO.NET bases').</summary>
    private static bool OverridesDisposeAsync(ITypeSymbol type, KnownSymbols symbols, out IMethodSymbol? disposeAsync)
    {
        disposeAsync = null;
        // Held as the ADO.NET abstraction (DbConnection, DbDataReader…): the provider behind it is what users run, and
        // the common ones override DisposeAsync (closing returns the connection to the pool asynchronously).
        if (type is INamedTypeSymbol { IsAbstract: true } abstraction && symbols.IO.DbAbstractions.Contains(abstraction.OriginalDefinition))
            return true;
        for (var t = type; t is not null; t = t.BaseType)
        {
            disposeAsync = t.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m =>
                m.Parameters.Length == 0 && !m.IsStatic
                && (m.Name == "DisposeAsync" || m.ExplicitInterfaceImplementations.Any(i => i.Name == "DisposeAsync")));
            if (disposeAsync is not null)
                return t is not INamedTypeSymbol named || !symbols.IO.SyncFallbackDisposeAsyncTypes.Contains(named.OriginalDefinition);
        }

        return true; // implemented by a default interface method or not visible: trust the interface.
    }

    private static bool IsReadOnlyFile(IOperation initializer, KnownSymbols symbols)
    {
        initializer = initializer.WalkDownConversions();
        switch (initializer)
        {
            case IInvocationOperation { TargetMethod.Name: "OpenRead" } openRead:
                return KnownSymbols.Eq(openRead.TargetMethod.ContainingType, symbols.IO.File) || KnownSymbols.Eq(openRead.TargetMethod.ContainingType, symbols.IO.FileInfo);
            case IInvocationOperation { TargetMethod.Name: "Open" } open when KnownSymbols.Eq(open.TargetMethod.ContainingType, symbols.IO.File):
                return open.Arguments.Any(a => IsReadAccess(a, symbols));
            case IObjectCreationOperation creation when KnownSymbols.Eq(creation.Type, symbols.IO.FileStream):
                return creation.Arguments.Any(a => IsReadAccess(a, symbols));
            default:
                return false;
        }

        static bool IsReadAccess(IArgumentOperation argument, KnownSymbols symbols) =>
            argument.Value.WalkDownConversions() is IFieldReferenceOperation { Field: { Name: "Read" } field }
            && KnownSymbols.Eq(field.ContainingType, symbols.IO.FileAccess);
    }

    /// <summary>
    /// A data reader read to its end before it is disposed: its condition loop awaits <c>NextResultAsync</c>, or awaits
    /// <c>ReadAsync</c> with no way out of the loop but the condition. Disposal then has no rows left to read. The loop
    /// may be in a source helper the reader is handed to: an awaited async method (<c>await ReadAllAsync(reader)</c>), or
    /// an async iterator whose sequence this body consumes to the end (<c>await Rows(reader).ToListAsync()</c>, an
    /// <c>await foreach</c> with no way out but its end).
    /// </summary>
    private static bool IsDrainedReader(ILocalSymbol local, BodyIndex index, ConcurrencyAnalysis analysis)
    {
        var symbols = analysis.Symbols;
        if (!KnownSymbols.InheritsFrom(local.Type, symbols.IO.DbDataReader))
            return false;
        if (DrainsInLoop(local, index, symbols, consumedToTheEnd: false))
            return true;
        foreach (var point in index.Completions)
        {
            switch (point.Completed)
            {
                case IInvocationOperation { TargetMethod.Name: "ToListAsync" or "ToArrayAsync" or "ToDictionaryAsync" or "ToHashSetAsync" or "ToLookupAsync" } materialized
                    when SequenceOf(materialized) is IInvocationOperation producer && HandsOnToDrain(producer, local, analysis, iterator: true):
                    return true;
                case IInvocationOperation call when call.TargetMethod.IsAsync && HandsOnToDrain(call, local, analysis, iterator: false):
                    return true;
            }
        }

        foreach (var loop in index.Loops)
        {
            if (loop is IForEachLoopOperation { IsAsynchronous: true } forEach && !HasWayOut(forEach.Body, yieldIsWayOut: true)
                && forEach.Collection.WalkDownConversions() is IInvocationOperation producer && HandsOnToDrain(producer, local, analysis, iterator: true))
                return true;
        }

        return false;

        static IOperation? SequenceOf(IInvocationOperation materialized) =>
            (materialized.Instance ?? (materialized.TargetMethod.IsExtensionMethod ? materialized.Arguments.ForParameter(0)?.Value : null))?.WalkDownConversions();
    }

    /// <summary>The call passes <paramref name="local"/> to a source method (an async iterator, or not, as asked) that drains that parameter.</summary>
    private static bool HandsOnToDrain(IInvocationOperation call, ILocalSymbol local, ConcurrencyAnalysis analysis, bool iterator)
    {
        var method = call.TargetMethod.OriginalDefinition;
        if (!method.IsAsync || analysis.SourceBodyOf(method, default) is not { } body
            || body.Syntax.DescendantNodes().Any(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.YieldStatementSyntax) != iterator)
            return false;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } parameter && KnownSymbols.Eq(argument.Value.WalkDownConversions().ReferencedSymbol(), local)
                && DrainsInLoop(parameter.OriginalDefinition, analysis.IndexOf(body), analysis.Symbols, consumedToTheEnd: iterator))
                return true;
        }

        return false;
    }

    /// <summary>
    /// A loop of the body whose condition awaits the reader's <c>NextResultAsync</c>, or its <c>ReadAsync</c> with no way
    /// out but the condition (a <c>yield return</c> counts as one unless the sequence is known to be consumed to the end).
    /// </summary>
    private static bool DrainsInLoop(ISymbol reader, BodyIndex index, KnownSymbols symbols, bool consumedToTheEnd)
    {
        foreach (var loop in index.Loops)
        {
            if (loop is not IWhileLoopOperation { Condition: { } condition } whileLoop
                || AwaitedArm(condition) is not IAwaitOperation { Operation: var awaited }
                || CompletedTaskAnalysis.StripConfigureAwait(awaited.WalkDownConversions(), symbols.Tasks) is not IInvocationOperation { TargetMethod.Name: "ReadAsync" or "NextResultAsync" } call
                || !KnownSymbols.Eq(call.Instance.ReferencedSymbol(), reader))
                continue;
            if (call.TargetMethod.Name == "NextResultAsync" || !HasWayOut(whileLoop.Body, yieldIsWayOut: !consumedToTheEnd))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The awaited test of a loop condition, also the async arm of the shared sync/async path's
    /// <c>sync ? r.NextResult() : await r.NextResultAsync()</c>: in an async context, the arm that runs.
    /// </summary>
    private static IOperation AwaitedArm(IOperation condition)
    {
        condition = condition.WalkDownConversions();
        if (condition is IConditionalOperation { WhenFalse: { } whenFalse } conditional)
        {
            var (whenTrue, otherwise) = (conditional.WhenTrue.WalkDownConversions(), whenFalse.WalkDownConversions());
            if (whenTrue is IAwaitOperation != otherwise is IAwaitOperation)
                return whenTrue is IAwaitOperation ? whenTrue : otherwise;
        }

        return condition;
    }

    private static bool HasWayOut(IOperation body, bool yieldIsWayOut) =>
        body.DescendantsAndSelf().Any(o => o is IBranchOperation { BranchKind: BranchKind.Break } or IThrowOperation
            || (o is IReturnOperation && (yieldIsWayOut || o.Kind != OperationKind.YieldReturn)));

    /// <summary>
    /// The value is handed to an awaited source method that disposes it asynchronously itself, on every way through it
    /// (<c>await using (cursor)</c>, <c>await cursor.DisposeAsync()</c> on its parameter, as a top-level statement with no
    /// <c>return</c> before it, or in the <c>finally</c> of a top-level <c>try</c>) — directly or through non-async
    /// forwarders (<c>=&gt; FirstAsync(cursor, null)</c>): <c>using (var c = await Open()) return await c.FirstAsync();</c>
    /// with an extension <c>FirstAsync(this Cursor c)</c> that does <c>await using (c)</c>. The outer disposal then finds
    /// the value already disposed. A callee that disposes only on some paths (a <c>leaveOpen</c> flag, an early return)
    /// does not count.
    /// </summary>
    private static bool IsDisposedByAwaitedCallee(ILocalSymbol local, BodyIndex index, ConcurrencyAnalysis analysis)
    {
        foreach (var point in index.Completions)
        {
            if (point.Completed is IInvocationOperation call
                && DisposesArgument(call, value => KnownSymbols.Eq(value.ReferencedSymbol(), local), analysis, depth: 3))
                return true;
        }

        return false;
    }

    private static bool DisposesArgument(IInvocationOperation call, System.Func<IOperation, bool> isValue, ConcurrencyAnalysis analysis, int depth)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter || !isValue(argument.Value.WalkDownConversions())
                || analysis.SourceBodyOf(call.TargetMethod.OriginalDefinition, default) is not { } body)
                continue;
            var own = parameter.OriginalDefinition;
            if (DisposesUnconditionally(body, own, analysis.Symbols))
                return true;
            if (depth > 1 && !call.TargetMethod.IsAsync && ForwardedCall(body) is { } forwarded
                && DisposesArgument(forwarded, v => v is IParameterReferenceOperation r && KnownSymbols.Eq(r.Parameter.OriginalDefinition, own), analysis, depth - 1))
                return true;
        }

        return false;
    }

    /// <summary>The one call a forwarder's body consists of: <c>=&gt; Other(…)</c>, <c>{ return Other(…); }</c>.</summary>
    private static IInvocationOperation? ForwardedCall(IOperation body)
    {
        var operation = body is IMethodBodyOperation method ? (IOperation?)method.BlockBody ?? method.ExpressionBody : body;
        while (true)
        {
            switch (operation)
            {
                case IBlockOperation { Operations.Length: 1 } block:
                    operation = block.Operations[0];
                    continue;
                case IReturnOperation { ReturnedValue: { } value }:
                    return value.WalkDownConversions() as IInvocationOperation;
                case IExpressionStatementOperation statement:
                    return statement.Operation.WalkDownConversions() as IInvocationOperation;
                default:
                    return null;
            }
        }
    }

    private static bool DisposesUnconditionally(IOperation body, IParameterSymbol parameter, KnownSymbols symbols)
    {
        var block = body is IMethodBodyOperation method ? method.BlockBody : body as IBlockOperation;
        if (block is null)
            return false;
        foreach (var statement in block.Operations)
        {
            if (DisposesParameter(statement, parameter, symbols)
                || (statement is ITryOperation { Finally: { } finallyBlock } && finallyBlock.Operations.Any(s => DisposesParameter(s, parameter, symbols))))
                return true;
            if (BlockingSummaries.OwnOperations(statement).Any(o => o is IReturnOperation))
                return false; // a way out before the disposal
        }

        return false;
    }

    /// <summary>One statement that disposes <paramref name="parameter"/> asynchronously.</summary>
    private static bool DisposesParameter(IOperation statement, IParameterSymbol parameter, KnownSymbols symbols)
    {
        IOperation? resource = statement switch
        {
            IUsingOperation { IsAsynchronous: true } u => u.Resources,
            IUsingDeclarationOperation { IsAsynchronous: true } d => d.DeclarationGroup.Declarations.SelectMany(x => x.Declarators)
                .Select(x => x.GetVariableInitializer()?.Value).FirstOrDefault(v => v is not null),
            IExpressionStatementOperation { Operation: IAwaitOperation { Operation: var awaited } } =>
                CompletedTaskAnalysis.StripConfigureAwait(awaited.WalkDownConversions(), symbols.Tasks) is IInvocationOperation { TargetMethod.Name: "DisposeAsync", Instance: { } instance } ? instance : null,
            _ => null,
        };
        if (resource is null)
            return false;
        resource = resource.WalkDownConversions();
        if (resource is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Arguments.Length: 2 } configured)
            resource = configured.Arguments[0].Value.WalkDownConversions(); // await using (x.ConfigureAwait(false))
        return resource is IParameterReferenceOperation reference && KnownSymbols.Eq(reference.Parameter.OriginalDefinition, parameter);
    }

    /// <summary>The last thing done with the stream is an awaited <c>FlushAsync</c>: nothing is left for disposal to write.</summary>
    private static bool IsFlushedLast(ILocalSymbol local, BodyIndex index) =>
        index.LastCallOn(local) is { TargetMethod.Name: "FlushAsync" } last && last.IsAwaited();
}
