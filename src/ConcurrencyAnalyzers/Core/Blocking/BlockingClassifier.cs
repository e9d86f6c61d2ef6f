using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>
/// The one place that decides what blocks, over any function body — async or not. Two stages:
/// <see cref="Candidate"/> is cheap and context-free (a name lookup in <see cref="Table"/>, then a symbol check) and says
/// which API a call is, and so which rule owns it; <see cref="Classify"/> applies the precision rules in a
/// <see cref="FunctionScope"/> (completed tasks, zero timeouts, no-I/O APIs, the shared sync/async path, user
/// exclusions, twin binding) and returns a <see cref="BlockingOperation"/>, or <see langword="null"/> when it does not block.
/// Rules are "candidate, context, classify, report"; CONC005 will classify helper bodies with the same code.
/// </summary>
internal sealed class BlockingClassifier
{
    private readonly ConcurrencyAnalysis _analysis;

    private readonly System.Lazy<ImmutableHashSet<INamedTypeSymbol>> _blockingRuleTypes;

    public BlockingClassifier(ConcurrencyAnalysis analysis)
    {
        _analysis = analysis;
        // The task types and every type the table names: derived from the table, so the two cannot drift apart.
        _blockingRuleTypes = new System.Lazy<ImmutableHashSet<INamedTypeSymbol>>(() =>
            Symbols.Tasks.TaskTypes.Union(KnownSymbols.Collect(
                Table.Values.SelectMany(entries => entries).Where(e => e.Type is not null).Select(e => e.Type!(Symbols)).ToArray())));
    }

    private KnownSymbols Symbols => _analysis.Symbols;

    /// <summary>How a table entry matches the method's containing type.</summary>
    private enum TypeMatch
    {
        /// <summary>The type itself (original definition).</summary>
        Exact,

        /// <summary>The type or a type derived from it.</summary>
        Derived,

        /// <summary>One of the task types.</summary>
        TaskLike,

        /// <summary>One of the task awaiters.</summary>
        Awaiter,
    }

    private sealed class Entry
    {
        public Entry(Func<KnownSymbols, INamedTypeSymbol?>? type, TypeMatch match, bool isStatic, BlockingApi api, int? arguments = null)
        {
            Type = type;
            Match = match;
            IsStatic = isStatic;
            Api = api;
            Arguments = arguments;
        }

        public Func<KnownSymbols, INamedTypeSymbol?>? Type { get; }
        public TypeMatch Match { get; }
        public bool IsStatic { get; }
        public BlockingApi Api { get; }

        /// <summary>The argument count the entry needs, when it matters.</summary>
        public int? Arguments { get; }
    }

    /// <summary>The built-in blocking APIs, by method name. Entries of one name are tried in order.</summary>
    private static readonly Dictionary<string, ImmutableArray<Entry>> Table = BuildTable();

    private static Dictionary<string, ImmutableArray<Entry>> BuildTable()
    {
        var rows = new List<(string Name, Entry Entry)>
        {
            ("Wait", new Entry(null, TypeMatch.TaskLike, false, BlockingApi.TaskWait, arguments: 0)),
            ("Wait", new Entry(null, TypeMatch.TaskLike, false, BlockingApi.TaskWaitWithTimeout)),
            ("GetResult", new Entry(null, TypeMatch.Awaiter, false, BlockingApi.AwaiterGetResult)),
            ("WaitAll", new Entry(s => s.Tasks.Task, TypeMatch.Exact, true, BlockingApi.TaskWaitAll)),
            ("WaitAny", new Entry(s => s.Tasks.Task, TypeMatch.Exact, true, BlockingApi.TaskWaitAny)),
            ("Sleep", new Entry(s => s.Threading.Thread, TypeMatch.Exact, true, BlockingApi.ThreadSleep, arguments: 1)),
            ("SpinUntil", new Entry(s => s.Threading.SpinWait, TypeMatch.Exact, true, BlockingApi.SpinUntil, arguments: 2)),
            ("Wait", new Entry(s => s.Threading.SemaphoreSlim, TypeMatch.Exact, false, BlockingApi.SemaphoreWait)),
            ("WaitOne", new Entry(s => s.Threading.WaitHandle, TypeMatch.Derived, false, BlockingApi.WaitHandleWait)),
            ("WaitAll", new Entry(s => s.Threading.WaitHandle, TypeMatch.Derived, true, BlockingApi.WaitHandleWait)),
            ("WaitAny", new Entry(s => s.Threading.WaitHandle, TypeMatch.Derived, true, BlockingApi.WaitHandleWait)),
            ("Join", new Entry(s => s.Threading.Thread, TypeMatch.Exact, false, BlockingApi.ThreadJoin)),
            ("Wait", new Entry(s => s.Threading.ManualResetEventSlim, TypeMatch.Exact, false, BlockingApi.PrimitiveWait)),
            ("Wait", new Entry(s => s.Threading.Monitor, TypeMatch.Exact, true, BlockingApi.PrimitiveWait)),
            ("Wait", new Entry(s => s.Threading.CountdownEvent, TypeMatch.Exact, false, BlockingApi.PrimitiveWait)),
            ("SignalAndWait", new Entry(s => s.Threading.Barrier, TypeMatch.Exact, false, BlockingApi.PrimitiveWait)),
            ("Take", new Entry(s => s.Threading.BlockingCollectionOfT, TypeMatch.Exact, false, BlockingApi.PrimitiveWait)),
            ("GetConsumingEnumerable", new Entry(s => s.Threading.BlockingCollectionOfT, TypeMatch.Exact, false, BlockingApi.PrimitiveWait)),
        };
        foreach (var name in new[] { "EnterReadLock", "EnterWriteLock", "EnterUpgradeableReadLock", "TryEnterReadLock", "TryEnterWriteLock", "TryEnterUpgradeableReadLock" })
            rows.Add((name, new Entry(s => s.Threading.ReaderWriterLockSlim, TypeMatch.Exact, false, BlockingApi.PrimitiveWait)));

        var builder = new Dictionary<string, ImmutableArray<Entry>.Builder>(StringComparer.Ordinal);
        foreach (var (name, entry) in rows)
        {
            if (!builder.TryGetValue(name, out var list))
                builder[name] = list = ImmutableArray.CreateBuilder<Entry>();
            list.Add(entry);
        }

        var result = new Dictionary<string, ImmutableArray<Entry>>(StringComparer.Ordinal); // read-only after this
        foreach (var pair in builder)
            result[pair.Key] = pair.Value.ToImmutable();
        return result;
    }

    /// <summary>
    /// Which blocking API an operation is, before any context or precision check; <see langword="null"/> for most
    /// operations. Built-in APIs come first, then "any other synchronous call" (CONC003's candidate: it blocks if the
    /// user listed it in <c>additional_blocking_apis</c> or an async twin binds — decided in <see cref="Classify"/>).
    /// </summary>
    /// <param name="operation">Any operation.</param>
    /// <param name="withSynchronousCalls">Also name user-listed and plain synchronous calls (CONC003's candidates); the
    /// other rules skip that tail, since the built-in table decides them alone.</param>
    public BlockingApi? Candidate(IOperation operation, bool withSynchronousCalls = true)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return CandidateCall(invocation, withSynchronousCalls);
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: not null } result:
                var type = result.Property.ContainingType?.OriginalDefinition;
                return KnownSymbols.Eq(type, Symbols.Tasks.TaskOfT) || KnownSymbols.Eq(type, Symbols.Tasks.ValueTaskOfT) ? BlockingApi.TaskResult : null;
            case IUsingOperation { IsAsynchronous: false }:
            case IUsingDeclarationOperation { IsAsynchronous: false }:
                return Symbols.Tasks.IAsyncDisposable is null ? null : BlockingApi.SynchronousDisposal;
            case IObjectCreationOperation creation when withSynchronousCalls:
                return IsConnectingConstructor(creation.Constructor) ? BlockingApi.ConnectingConstructor : null;
            default:
                return null;
        }
    }

    private BlockingApi? CandidateCall(IInvocationOperation invocation, bool withSynchronousCalls)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;
        if (containing is null)
            return null;
        if (Table.TryGetValue(method.Name, out var entries))
        {
            var anyType = false;
            foreach (var entry in entries)
            {
                if (entry.IsStatic != method.IsStatic || !Matches(entry, containing))
                    continue;
                anyType = true;
                if (entry.Arguments is null || entry.Arguments == invocation.Arguments.Length)
                    return entry.Api;
            }

            if (anyType)
                return null; // a blocking type's other overload (Thread.Sleep's none): not a sync-I/O candidate either.
        }

        if (!withSynchronousCalls)
            return null;

        // The fast path: most calls are already async, or on types whose blocking members the table owns.
        if (method.Name.EndsWith("Async", StringComparison.Ordinal) || Symbols.IsTaskLike(method.ReturnType) || IsBlockingRuleType(containing))
            return null;
        return BlockingApi.SynchronousCall;
    }

    private bool Matches(Entry entry, INamedTypeSymbol containing) =>
        entry.Match switch
        {
            TypeMatch.TaskLike => Symbols.IsTaskLike(containing),
            TypeMatch.Awaiter => Symbols.Tasks.Awaiters.Contains(containing.OriginalDefinition),
            TypeMatch.Derived => KnownSymbols.InheritsFrom(containing, entry.Type!(Symbols)),
            _ => KnownSymbols.Eq(containing.OriginalDefinition, entry.Type!(Symbols)),
        };

    /// <summary>Types (and their subtypes) whose blocking members CONC001, CONC002 and CONC004 own; their other members are not CONC003 candidates.</summary>
    private bool IsBlockingRuleType(INamedTypeSymbol type) => KnownSymbols.IsAnyOf(type, _blockingRuleTypes.Value);

    /// <summary>
    /// Whether <paramref name="operation"/>, a <paramref name="api"/> candidate, blocks when it runs in
    /// <paramref name="scope"/> — judged as if the scope ran in async context.
    /// </summary>
    public BlockingOperation? Classify(IOperation operation, BlockingApi api, FunctionScope scope)
    {
        if (operation.IsInsideNameOf() || SharedCodePath.IsSynchronousBranch(operation, scope, Symbols.Tasks))
            return null;
        var excluded = _analysis.Settings.ExcludedApis(operation.Syntax.SyntaxTree);
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (excluded.Contains(invocation.TargetMethod))
                    return null;
                return ClassifyCall(invocation, api, scope);
            case IPropertyReferenceOperation result:
                if (result.Property.GetMethod is { } getter && excluded.Contains(getter))
                    return null;
                return IsComplete(result.Instance, result, scope)
                    ? null
                    : new BlockingOperation(api, result, result.Property, result.Instance, result.Property.ContainingType.OriginalDefinition.Name + "<T>.Result", null, new FixPlan(FixKind.AwaitTask));
            case IObjectCreationOperation creation:
                return creation.Constructor is { } constructor && excluded.Contains(constructor) ? null : ClassifyConnectingConstructor(creation, scope);
            default:
                return SynchronousDisposal.Classify(operation, scope, _analysis, excluded);
        }
    }

    /// <summary><c>new TcpClient(string host, int port)</c>: resolves the name and connects before it returns.</summary>
    private bool IsConnectingConstructor(IMethodSymbol? constructor) =>
        constructor is { Parameters.Length: 2 } c
        && c.Parameters[0].Type.SpecialType == SpecialType.System_String
        && c.Parameters[1].Type.SpecialType == SpecialType.System_Int32
        && KnownSymbols.Eq(c.ContainingType, Symbols.IO.TcpClient);

    /// <summary>
    /// A connecting constructor: reported with the fix "create it unconnected, then await <c>ConnectAsync</c> with the
    /// same arguments", written when the object initializes a local (the fixer checks the shape).
    /// </summary>
    private BlockingOperation? ClassifyConnectingConstructor(IObjectCreationOperation creation, FunctionScope scope)
    {
        var type = creation.Constructor!.ContainingType;
        var token = TokenInScope(creation, scope);
        bool Connects(IMethodSymbol m, bool withToken) =>
            !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public && Symbols.IsTaskLike(m.ReturnType)
            && m.Parameters.Length == (withToken ? 3 : 2)
            && m.Parameters[0].Type.SpecialType == SpecialType.System_String
            && m.Parameters[1].Type.SpecialType == SpecialType.System_Int32
            && (!withToken || KnownSymbols.Eq(m.Parameters[2].Type, Symbols.Tasks.CancellationToken));
        var connects = type.GetMembers("ConnectAsync").OfType<IMethodSymbol>().ToList();
        var takesToken = token is not null && connects.Any(m => Connects(m, withToken: true));
        var plan = takesToken || connects.Any(m => Connects(m, withToken: false))
            ? new FixPlan(FixKind.ConnectAfterCreate, "ConnectAsync", token, takesToken)
            : null;
        return new BlockingOperation(BlockingApi.ConnectingConstructor, creation, creation.Constructor, creation, "'new " + type.Name + "(host, port)'", null, plan,
            "create it unconnected and await 'ConnectAsync' instead");
    }

    private bool IsComplete(IOperation? task, IOperation use, FunctionScope scope) =>
        new CompletedTaskAnalysis(_analysis, scope).IsKnownComplete(task, use);

    private ZeroContext ZeroContextOf(IOperation operation, FunctionScope scope) =>
        new(() => _analysis.IndexOf(scope.Body), tree => tree == operation.Syntax.SyntaxTree && operation.SemanticModel is { } model ? model : _analysis.ModelOf(tree));

    private string? TokenInScope(IOperation operation, FunctionScope scope) =>
        CancellationTokenInScope.Find(operation, scope.Member, Symbols);

    private BlockingOperation? ClassifyCall(IInvocationOperation invocation, BlockingApi api, FunctionScope scope)
    {
        var method = invocation.TargetMethod;
        switch (api)
        {
            case BlockingApi.TaskWait:
                return IsComplete(invocation.Instance, invocation, scope)
                    ? null
                    : Found(null, "Task.Wait()", new FixPlan(FixKind.AwaitTask), invocation.Instance);
            case BlockingApi.TaskWaitWithTimeout:
            {
                if (IsComplete(invocation.Instance, invocation, scope))
                    return null;
                // Wait(timeout) returns a bool that WaitAsync cannot give back: fixed only when nobody reads it.
                var twin = _analysis.Twins.Find(invocation, scope, "WaitAsync", token: null);
                return Found(twin, "Task.Wait(…)", twin is null ? null : FixPlan.AwaitTwin(twin, token: null));
            }

            case BlockingApi.AwaiterGetResult:
            {
                var awaiterSource = invocation.Instance?.WalkDownConversions() as IInvocationOperation;
                // t.GetAwaiter() or t.ConfigureAwait(false).GetAwaiter(): the completed-task analysis strips ConfigureAwait.
                var task = awaiterSource is { TargetMethod.Name: "GetAwaiter" } ? awaiterSource.Instance : null;
                return IsComplete(task, invocation, scope)
                    ? null
                    : Found(null, "GetAwaiter().GetResult()", task is null ? null : new FixPlan(FixKind.AwaitTask), task);
            }

            case BlockingApi.TaskWaitAll or BlockingApi.TaskWaitAny:
            {
                var twin = _analysis.Twins.Find(invocation, scope, api == BlockingApi.TaskWaitAll ? "WhenAll" : "WhenAny", token: null);
                return Found(twin, "Task." + method.Name, twin is null ? null : FixPlan.AwaitTwin(twin, token: null));
            }

            case BlockingApi.ThreadSleep:
                // Thread.Sleep(0) yields the rest of the time slice; it does not wait.
                return TimeoutArguments.IsZero(invocation.Arguments[0].Value, Symbols, ZeroContextOf(invocation, scope))
                    ? null
                    : Found(null, "Thread.Sleep", new FixPlan(FixKind.Delay, "Delay", TokenInScope(invocation, scope)));
            case BlockingApi.SpinUntil:
                // A polling loop with Task.Delay changes the timing contract; left to the author.
                return TimeoutArguments.IsZero(invocation.Arguments[1].Value, Symbols, ZeroContextOf(invocation, scope)) ? null : Found(null, "SpinWait.SpinUntil", null);
            case BlockingApi.SemaphoreWait or BlockingApi.WaitHandleWait or BlockingApi.ThreadJoin or BlockingApi.PrimitiveWait:
                return ClassifyPrimitive(invocation, api, scope);
            default:
                return ClassifySynchronousCall(invocation, api, scope);
        }

        BlockingOperation Found(AsyncTwin? twin, string display, FixPlan? plan, IOperation? operand = null) =>
            new(api, invocation, method, operand ?? invocation, display, twin, plan);
    }

    private BlockingOperation? ClassifyPrimitive(IInvocationOperation invocation, BlockingApi api, FunctionScope scope)
    {
        if (TimeoutArguments.HasZeroTimeout(invocation, Symbols, ZeroContextOf(invocation, scope)))
            return null;
        var method = invocation.TargetMethod;
        if (IsShortLockSection(invocation, scope) || IsCountCheckedUnderLock(invocation))
            return null;
        var token = TokenInScope(invocation, scope);
        var isMutex = KnownSymbols.InheritsFrom(invocation.Instance?.Type, Symbols.Threading.Mutex);
        var display = method.ContainingType.Name + "." + method.Name;
        if (api == BlockingApi.SemaphoreWait && _analysis.Twins.Find(invocation, scope, "WaitAsync", token) is { } twin)
            return new BlockingOperation(api, invocation, method, invocation, display, twin, FixPlan.AwaitTwin(twin, token), "await 'WaitAsync' instead");
        if (api == BlockingApi.WaitHandleWait && method.Name == "WaitOne" && invocation.Arguments.Length <= 1
            && Symbols.Libraries.WaitHandleExtensions is not null && !isMutex) // a Mutex is owned by the thread that waits
        {
            var alreadyHasToken = invocation.Arguments.Length == 1 && KnownSymbols.Eq(invocation.Arguments[0].Value.Type, Symbols.Tasks.CancellationToken);
            return new BlockingOperation(api, invocation, method, invocation, display, null,
                new FixPlan(FixKind.WaitOneAsync, "WaitOneAsync", alreadyHasToken ? null : token), "await 'WaitOneAsync' from ConcurrencyAnalyzers.Runtime instead");
        }

        var advice = api switch
        {
            BlockingApi.WaitHandleWait when isMutex => "a Mutex is owned by the thread that acquired it; use SemaphoreSlim.WaitAsync for async code instead",
            BlockingApi.WaitHandleWait => "await the handle asynchronously (ConcurrencyAnalyzers.Runtime's WaitOneAsync) instead",
            BlockingApi.ThreadJoin => "await a Task representing the thread's work instead",
            _ => "use an async coordination primitive (SemaphoreSlim.WaitAsync, TaskCompletionSource, Channel) instead",
        };
        return new BlockingOperation(api, invocation, method, invocation, display, null, null, advice);
    }

    /// <summary>
    /// <c>lock (_gate) { if (_semaphore.CurrentCount == 1) { _semaphore.Wait(); … } }</c>: a try-acquire that cannot
    /// block when every acquirer takes the same lock first (the hand-written async lock of broker clients). The wait must
    /// sit in the true branch of a test of the same semaphore's <c>CurrentCount</c>, inside a <c>lock</c> in the same
    /// function.
    /// </summary>
    private bool IsCountCheckedUnderLock(IInvocationOperation wait)
    {
        if (wait.TargetMethod.Name != "Wait" || !KnownSymbols.Eq(wait.TargetMethod.ContainingType, Symbols.Threading.SemaphoreSlim)
            || wait.Instance.ReferencedSymbol() is not { } semaphore)
            return false;
        var checkedCount = false;
        IOperation child = wait;
        foreach (var ancestor in wait.Ancestors())
        {
            switch (ancestor)
            {
                case IConditionalOperation conditional when ReferenceEquals(conditional.WhenTrue, child)
                    && conditional.Condition.DescendantsAndSelf().OfType<IPropertyReferenceOperation>().Any(p => p.Property.Name == "CurrentCount" && KnownSymbols.Eq(p.Instance.ReferencedSymbol(), semaphore)):
                    checkedCount = true;
                    break;
                case ILockOperation:
                    return checkedCount;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation:
                    return false;
            }

            child = ancestor;
        }

        return false;
    }

    /// <summary>
    /// <c>rw.EnterReadLock(); … rw.ExitReadLock();</c> with no <c>await</c> in between: a short synchronous section, like a
    /// <c>lock</c> (which the rules do not flag either). Held across an <c>await</c>, it is reported.
    /// </summary>
    private bool IsShortLockSection(IInvocationOperation enter, FunctionScope scope)
    {
        if (!KnownSymbols.Eq(enter.TargetMethod.ContainingType?.OriginalDefinition, Symbols.Threading.ReaderWriterLockSlim)
            || enter.Instance.ReferencedSymbol() is not { } rwLock)
            return false;
        var exitName = "Exit" + enter.TargetMethod.Name.Replace("TryEnter", string.Empty).Replace("Enter", string.Empty);
        IInvocationOperation? exit = null;
        foreach (var candidate in scope.Body.DescendantsAndSelf())
        {
            if (candidate is IInvocationOperation call && call.TargetMethod.Name == exitName
                && call.Syntax.SpanStart > enter.Syntax.Span.End
                && KnownSymbols.Eq(call.Instance.ReferencedSymbol(), rwLock)
                && (exit is null || call.Syntax.SpanStart < exit.Syntax.SpanStart))
                exit = call;
        }

        return exit is not null
            && !_analysis.IndexOf(scope.Body).HasAwaitWithin(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(enter.Syntax.Span.End, exit.Syntax.SpanStart));
    }

    private BlockingOperation? ClassifySynchronousCall(IInvocationOperation invocation, BlockingApi api, FunctionScope scope)
    {
        var method = invocation.TargetMethod;
        var listed = _analysis.Settings.AdditionalBlockingApis(invocation.Syntax.SyntaxTree).Contains(method);
        if (listed)
            api = BlockingApi.UserListedCall;
        // Cheapest first: most synchronous calls have no method of the twin's name in reach (a cached lookup).
        var twinName = _analysis.Settings.TwinNames(invocation.Syntax.SyntaxTree).NameFor(method);
        if (!listed && !_analysis.Twins.MayHaveTwin(invocation, scope, twinName))
            return null;
        // When the body is visible, the body decides (CONC005's summary), not the name of a sibling. A virtual method's
        // declared body that does not block is not reported by name either.
        if (!listed && (_analysis.Summaries.IsJudgedByBody(method)
            || (_analysis.Summaries.HasVisibleBody(method) && _analysis.Summaries.Of(method, _analysis.Settings.MaxDepth(invocation.Syntax.SyntaxTree)) is null)))
            return null;
        if (!listed && (NoIOApis.IsNoIO(invocation, Symbols, _analysis.Factories) || ErrorPaths.IsTeardownBeforeRethrow(invocation)))
            return null;
        if (!listed && method.Name == "Dispose" && method.Parameters.Length == 0)
        {
            var receiver = invocation.Instance;
            if (receiver is null || !AsyncDisposal.MissesAsyncDisposal(receiver.Type, null, receiver.ReferencedSymbol() as ILocalSymbol, _analysis.IndexOf(scope.Body), _analysis))
                return null;
        }

        var token = TokenInScope(invocation, scope);
        var twin = _analysis.Twins.Find(invocation, scope, twinName, token);
        if (twin is null && !listed)
            return null;

        var display = "'" + method.ContainingType.Name + "." + method.Name + "'";
        var tree = invocation.Syntax.SyntaxTree;
        var plan = twin is null
            ? new FixPlan(ImmutableArray<FixKind>.Empty, token: token)
            : FixPlan.AwaitTwin(twin, token);
        if (invocation.Instance is IConditionalAccessInstanceOperation)
        {
            // x?.Write(…): fixed as await (x?.WriteAsync(…) ?? <completed>) when it is a whole statement; otherwise reported only.
            if (twin is null || invocation.Parent is not IConditionalAccessOperation { Parent: IExpressionStatementOperation })
                plan = new FixPlan(ImmutableArray<FixKind>.Empty, token: token);
            else
                plan = plan.WithNullFallback(
                    KnownSymbols.Eq(twin.Method.ReturnType.OriginalDefinition, Symbols.Tasks.ValueTask)
                    || KnownSymbols.Eq(twin.Method.ReturnType.OriginalDefinition, Symbols.Tasks.ValueTaskOfT) ? "default" : "System.Threading.Tasks.Task.CompletedTask");
        }
        if (listed)
        {
            // A call the user says blocks: await its twin if one binds, or move it off the async path.
            plan = plan.WithOffload(FixKind.OffloadCall, _analysis.Settings.OffloadTarget(tree), ExecutorPool.Blocking);
        }

        var advice = twin is not null
            ? "await '" + twin.Method.Name + "' instead"
            : "it is listed in concurrency_analyzers.additional_blocking_apis; use an async alternative or move it off the async path";
        return new BlockingOperation(api, invocation, method, invocation, display, twin, plan.Fixes.IsEmpty ? null : plan, advice);
    }
}
