using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// A memo of per-method summaries (CONC005's "does this method block, and through which chain"), computed lazily on
/// first need and shared by every call site. A summary is keyed by the method <em>and the depth left</em>, everything
/// its answer depends on: a summary computed for one caller is never a truncated answer served to another, whatever the
/// order of callbacks. Keying by depth also makes the walk cycle-safe: every step down lowers the depth, so a recursive
/// chain ends at the cap instead of coming back to a method in progress.
/// A summary that says it did not depend on the cap (<c>exactFrom</c>: the smallest depth from which it is the answer,
/// because no walk under it was cut off) is served to every request at that depth or deeper, so a body is not walked
/// again for each depth its callers ask with.
/// </summary>
internal sealed class SummaryTable<TSummary>
    where TSummary : class
{
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), Box> _summaries = new(new KeyComparer());
    private readonly ConcurrentDictionary<IMethodSymbol, (int From, Box Summary)> _exact = new(SymbolEqualityComparer.Default);
    private readonly Func<TSummary?, int?>? _exactFrom;
    private int _computed;

    /// <param name="exactFrom">
    /// For a computed summary, the smallest depth from which it is the answer whatever the depth (no walk under it was cut
    /// off by the cap), or <see langword="null"/> when it holds only for the depth it was computed at.
    /// </param>
    public SummaryTable(Func<TSummary?, int?>? exactFrom = null) => _exactFrom = exactFrom;

    /// <summary>How many summaries were computed rather than served from the memo (for tests and measurements).</summary>
    public int Computed => Volatile.Read(ref _computed);

    /// <summary>
    /// The summary of <paramref name="method"/> looking at most <paramref name="depth"/> calls down, or
    /// <see langword="null"/> when the depth is used up. <paramref name="compute"/> summarizes one method and asks for
    /// its callees' summaries through this table with <c>depth - 1</c>.
    /// </summary>
    public TSummary? Get(IMethodSymbol method, int depth, Func<IMethodSymbol, int, TSummary?> compute)
    {
        if (depth <= 0)
            return null;
        var key = (method.OriginalDefinition, depth);
        if (_exact.TryGetValue(key.Item1, out var exact) && exact.From <= depth)
            return exact.Summary.Value;
        if (_summaries.TryGetValue(key, out var cached))
            return cached.Value;
        var result = compute(key.Item1, depth);
        Interlocked.Increment(ref _computed);
        var box = _summaries.GetOrAdd(key, new Box(result));
        if (_exactFrom?.Invoke(box.Value) is int from && from <= depth)
            _exact.AddOrUpdate(key.Item1, (from, box), (_, old) => old.From <= from ? old : (from, box));
        return box.Value;
    }

    private sealed class Box
    {
        public Box(TSummary? value) => Value = value;

        public TSummary? Value { get; }
    }

    private sealed class KeyComparer : System.Collections.Generic.IEqualityComparer<(IMethodSymbol Method, int Depth)>
    {
        public bool Equals((IMethodSymbol Method, int Depth) x, (IMethodSymbol Method, int Depth) y) =>
            x.Depth == y.Depth && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Depth) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Depth;
    }
}
