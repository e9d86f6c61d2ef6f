using System.Linq;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Core;

/// <summary>The API lists of .editorconfig: documentation IDs separated by commas or semicolons.</summary>
public class ApiListTests
{
    // A method's documentation ID has commas of its own between its parameters (and generic arguments): they do not
    // split the entry.
    [Fact]
    public void Entries_KeepTheCommasInsideAnId() =>
        Assert.Equal(
            new[] { "M:N.T.M(System.String,System.Int32)", " T:N.Other", " M:N.T.G(System.Collections.Generic.Dictionary{System.String,System.Int32},System.Int32[0:,0:])", "M:N.T.Plain" },
            ApiList.Entries("M:N.T.M(System.String,System.Int32), T:N.Other; M:N.T.G(System.Collections.Generic.Dictionary{System.String,System.Int32},System.Int32[0:,0:]),M:N.T.Plain,").ToArray());
}
