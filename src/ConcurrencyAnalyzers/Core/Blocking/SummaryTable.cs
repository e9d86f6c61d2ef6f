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
/// </summary>
internal sealed class SummaryTable<TSummary>
    where TSummary : class
{
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), Box> _summaries = new(new KeyComparer());
    private int _computed;

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
        if (_summaries.TryGetValue(key, out var cached))
            return cached.Value;
        var result = compute(key.Item1, depth);
        Interlocked.Increment(ref _computed);
        return _summaries.GetOrAdd(key, new Box(result)).Value;
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
