using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime;

/// <summary>
/// The <c>MapAsync</c> that the thread and process executors share: arguments cut into chunks, each chunk one work
/// item, a bounded number of chunks in flight, results yielded in argument order.
/// </summary>
internal static class ChunkedMap
{
    /// <summary>What both executors' <c>MapAsync</c> refuse at the call, before anything is read or queued.</summary>
    public static void CheckArguments<TArgument, TResult>(Func<TArgument, TResult>? work, IEnumerable<TArgument>? arguments, int chunkSize)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        if (arguments is null)
            throw new ArgumentNullException(nameof(arguments));
        if (chunkSize < 1)
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "chunkSize must be at least 1.");
    }

    /// <summary>
    /// Reads <paramref name="arguments"/> lazily, <paramref name="chunkSize"/> at a time, hands each chunk to
    /// <paramref name="submitChunk"/> (which returns the chunk's results, in order), keeps at most
    /// <paramref name="inFlightLimit"/> chunks in flight, and yields their results in argument order. A failed chunk
    /// throws its exception when the enumeration reaches it; then, as when the consumer stops early, the chunks still in
    /// flight are canceled through the token <paramref name="submitChunk"/> was given, and their outcomes observed. A
    /// canceled <paramref name="cancellationToken"/> ends the enumeration at the next argument or result. An exception
    /// from <paramref name="arguments"/> itself is thrown after the results of every argument read before it.
    /// </summary>
    public static async IAsyncEnumerable<TResult> MapAsync<TArgument, TResult>(
        IEnumerable<TArgument> arguments,
        int chunkSize,
        int inFlightLimit,
        Func<TArgument[], CancellationToken, Task<TResult[]>> submitChunk,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var inFlight = new Queue<Task<TResult[]>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // Grown as arguments come: a chunk size meant as "all in one" must not reserve that much up front.
            var chunk = new List<TArgument>(Math.Min(chunkSize, 1024));
            // An exception from the arguments themselves ends the reading, not the results: what was read before it is
            // run and yielded, in order, and the exception is thrown where it came, as a lazy Select would.
            ExceptionDispatchInfo? sourceFailure = null;
            using (var source = arguments.GetEnumerator())
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        if (!source.MoveNext())
                            break;
                    }
                    catch (Exception e)
                    {
                        sourceFailure = ExceptionDispatchInfo.Capture(e);
                        break;
                    }

                    chunk.Add(source.Current);
                    if (chunk.Count < chunkSize)
                        continue;
                    inFlight.Enqueue(submitChunk(chunk.ToArray(), stop.Token));
                    chunk.Clear();
                    if (inFlight.Count >= inFlightLimit)
                    {
                        foreach (var result in await inFlight.Dequeue().ConfigureAwait(false))
                        {
                            cancellationToken.ThrowIfCancellationRequested(); // not the rest of a finished chunk
                            yield return result;
                        }
                    }
                }
            }

            if (chunk.Count > 0)
                inFlight.Enqueue(submitChunk(chunk.ToArray(), stop.Token));
            while (inFlight.Count > 0)
            {
                foreach (var result in await inFlight.Dequeue().ConfigureAwait(false))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return result;
                }
            }

            sourceFailure?.Throw();
        }
        finally
        {
            stop.Cancel();
            foreach (var pending in inFlight)
                _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
