using System;
using System.Collections.Generic;

namespace ConcurrencyAnalyzers.Runtime.Tests;

/// <summary>Argument sources for MapAsync tests.</summary>
internal static class FailingSource
{
    /// <summary>0, 1, … up to <paramref name="at"/> (exclusive), then a <see cref="FormatException"/> "argument {at} is unreadable".</summary>
    public static IEnumerable<int> FailingAt(int at)
    {
        for (var i = 0; i < at; i++)
            yield return i;
        throw new FormatException("argument " + at + " is unreadable");
    }
}
