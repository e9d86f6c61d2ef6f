using System.Collections.Generic;
using System.Linq;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Core;

/// <summary>CONC005's memo: shared by every caller, keyed by method and depth, safe on recursive chains.</summary>
public class SummaryTableTests
{
    private const string Source = """
        class C
        {
            void A() => B();
            void B() => A(); // a cycle
            void Leaf() { }
        }
        """;

    private static Dictionary<string, IMethodSymbol> Methods()
    {
        var compilation = CSharpCompilation.Create("s", new[] { CSharpSyntaxTree.ParseText(Source) }, Net10References.All);
        var type = compilation.GetTypeByMetadataName("C")!;
        return type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToDictionary(m => m.Name);
    }

    [Fact]
    public void RecursiveChain_EndsAtTheDepthCap_AndEachPairIsComputedOnce()
    {
        var methods = Methods();
        var table = new SummaryTable<string>();
        var calls = new Dictionary<string, string> { ["A"] = "B", ["B"] = "A" };
        string? Summarize(IMethodSymbol method, int depth) =>
            method.Name + (table.Get(methods[calls[method.Name]], depth - 1, Summarize) is { } below ? "→" + below : string.Empty);

        var chain = table.Get(methods["A"], 4, Summarize);
        Assert.Equal("A→B→A→B", chain); // four levels, then the cap: no stack overflow on the cycle
        Assert.Equal(4, table.Computed);
        Assert.Equal("B→A→B", table.Get(methods["B"], 3, Summarize)); // served from the memo
        Assert.Equal(4, table.Computed);
    }

    [Fact]
    public void ASummaryForOneDepth_IsNeverServedForAnother()
    {
        var methods = Methods();
        var table = new SummaryTable<string>();
        string? Summarize(IMethodSymbol method, int depth) => method.Name + depth;
        Assert.Equal("Leaf1", table.Get(methods["Leaf"], 1, Summarize));
        Assert.Equal("Leaf5", table.Get(methods["Leaf"], 5, Summarize));
        Assert.Null(table.Get(methods["Leaf"], 0, Summarize));
    }

    // A summary that no cap cut short is the answer at every depth from its own height: served, not recomputed.
    [Fact]
    public void AnExactSummary_IsServedForEveryDepthFromItsHeight_AndOnlyThere()
    {
        var methods = Methods();
        var table = new SummaryTable<string>(summary => summary is null ? null : summary.Length);
        string? Summarize(IMethodSymbol method, int depth) => "ab"; // exact from depth 2
        Assert.Equal("ab", table.Get(methods["Leaf"], 5, Summarize));
        Assert.Equal(1, table.Computed);
        Assert.Equal("ab", table.Get(methods["Leaf"], 3, Summarize));
        Assert.Equal("ab", table.Get(methods["Leaf"], 2, Summarize));
        Assert.Equal(1, table.Computed);
        Assert.Equal("ab", table.Get(methods["Leaf"], 1, Summarize)); // below its height: computed for that depth
        Assert.Equal(2, table.Computed);
    }
}
