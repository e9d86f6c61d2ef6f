using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Core;

/// <summary>The analyzer → fixer contract: a typed plan in the properties, the operand as the first additional location.</summary>
public class FixPlanTests
{
    [Fact]
    public void Plan_RoundTripsThroughDiagnosticProperties()
    {
        var plan = new FixPlan(ImmutableArray.Create(FixKind.AwaitTwin, FixKind.OffloadCall), "FetchAsync", "ct", twinTakesToken: true, OffloadTarget.Bcl, ExecutorPool.Compute);
        var decoded = FixPlan.Decode(plan.Encode())!;
        Assert.Equal(plan.Fixes.ToArray(), decoded.Fixes.ToArray());
        Assert.Equal(("FetchAsync", "ct", true, OffloadTarget.Bcl, ExecutorPool.Compute), (decoded.Name, decoded.Token, decoded.TwinTakesToken, decoded.Target, decoded.Pool));
    }

    // A loop rewrite carries the plans of the calls inside it; each keeps its own name, token, arguments and fallback.
    [Fact]
    public void InnerEdits_RoundTripWithTheirOwnPlans()
    {
        var read = new FixPlan(FixKind.AwaitTwin, "ReadAllTextAsync", "ct", twinTakesToken: true).WithArguments("(p)");
        var write = new FixPlan(FixKind.AwaitTwin, "WriteAsync", "ct", twinTakesToken: true).WithNullFallback("default");
        var plan = new FixPlan(FixKind.ParallelAsync, "ForEachAsync", "token")
            .WithInner("ct", ImmutableArray.Create(new InnerEdit(12, 20, read), new InnerEdit(40, 9, write)));
        var decoded = FixPlan.Decode(plan.Encode())!;
        Assert.Equal(("ForEachAsync", "token", "ct"), (decoded.Name, decoded.Token, decoded.Parameter));
        Assert.Equal(new[] { (12, 20, "ReadAllTextAsync", "(p)", (string?)null), (40, 9, "WriteAsync", null, "default") },
            decoded.Inner.Select(e => (e.Start, e.Length, e.Plan.Name!, e.Plan.Arguments, e.Plan.NullFallback)).ToArray());
        Assert.All(decoded.Inner, e => Assert.Equal(("ct", true), (e.Plan.Token, e.Plan.TwinTakesToken)));
    }

    // An inner edit that cannot be read back (another version wrote it) leaves no plan rather than half a fix.
    [Fact]
    public void BrokenInnerEdit_DecodesToNoPlan()
    {
        var plan = new FixPlan(FixKind.ParallelAsync, "ForAsync").WithInner("ct", ImmutableArray.Create(new InnerEdit(1, 2, new FixPlan(FixKind.Delay))));
        Assert.Null(FixPlan.Decode(plan.Encode().SetItem("Inner0.Span", "x,2")));
    }

    [Fact]
    public void UnknownFixKind_DecodesToNoPlan() =>
        Assert.Null(FixPlan.Decode(ImmutableDictionary<string, string?>.Empty.Add("Fixes", "AwaitTask,RewriteTheWorld")));

    [Fact]
    public async Task ResultDiagnostic_CarriesTheTaskAsItsOperand()
    {
        const string source = TestSources.Usings + """
            class C
            {
                async Task<int> M(Func<Task<int>> load)
                {
                    await Task.Yield();
                    return load().Result;
                }
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source);
        var compilation = CSharpCompilation.Create("c", new[] { tree }, Net10References.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzer = AllRules.Analyzers.Single(a => a.SupportedDiagnostics[0].Id == RuleIds.BlockingWait);
        var diagnostic = Assert.Single(await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync());
        Assert.Equal("load().Result", Text(diagnostic.Location));
        Assert.Equal("load()", Text(Assert.Single(diagnostic.AdditionalLocations)));
        Assert.Equal(new[] { FixKind.AwaitTask }, FixPlan.Decode(diagnostic.Properties)!.Fixes);

        static string Text(Location location) => source.Substring(location.SourceSpan.Start, location.SourceSpan.Length);
    }
}
