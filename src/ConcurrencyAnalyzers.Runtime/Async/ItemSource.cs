using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// Hands out the items of a sequence to concurrent workers, one at a time and in order, with the index of each;
/// the callback passed to <c>NextAsync</c> runs while the item is being taken, so per-item bookkeeping keeps the source's order.
/// </summary>
internal abstract class ItemSource<T> : IAsyncDisposable
{
    public delegate void Taken(long index);

    public static ItemSource<T> From(IEnumerable<T> source) => new SyncSource(source.GetEnumerator());

    public static ItemSource<T> From(IAsyncEnumerable<T> source, CancellationToken cancellationToken) =>
        new AsyncSource(source.GetAsyncEnumerator(cancellationToken));

    /// <summary>The next item, or <c>Has = false</c> when the sequence is exhausted.</summary>
    public abstract ValueTask<(bool Has, T Item, long Index)> NextAsync(Taken? onTaken, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    private sealed class SyncSource(IEnumerator<T> enumerator) : ItemSource<T>
    {
        private readonly object _lock = new();
        private long _next;
        private bool _done;

        public override ValueTask<(bool Has, T Item, long Index)> NextAsync(Taken? onTaken, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (_done || cancellationToken.IsCancellationRequested || !enumerator.MoveNext())
                {
                    _done = true;
                    return new((false, default!, -1));
                }

                var index = _next++;
                onTaken?.Invoke(index);
                return new((true, enumerator.Current, index));
            }
        }

        public override ValueTask DisposeAsync()
        {
            lock (_lock)
                enumerator.Dispose();
            return default;
        }
    }

    private sealed class AsyncSource(IAsyncEnumerator<T> enumerator) : ItemSource<T>
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private long _next;
        private bool _done;

        public override async ValueTask<(bool Has, T Item, long Index)> NextAsync(Taken? onTaken, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_done || cancellationToken.IsCancellationRequested || !await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    _done = true;
                    return (false, default!, -1);
                }

                var index = _next++;
                onTaken?.Invoke(index);
                return (true, enumerator.Current, index);
            }
            finally
            {
                _lock.Release();
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await _lock.WaitAsync().ConfigureAwait(false);
            try
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                _lock.Release();
                _lock.Dispose();
            }
        }
    }
}
