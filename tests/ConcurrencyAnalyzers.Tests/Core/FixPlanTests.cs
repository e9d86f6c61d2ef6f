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
