using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Conventions;

/// <summary>A rule the user turned off costs nothing: it registers no actions at all (product.md, Performance).</summary>
public class RuleEnablementTests
{
    private const string Source = """
        using System.Threading;
        using System.Threading.Tasks;
        class C { async Task M(Task t, SemaphoreSlim s) { t.Wait(); Thread.Sleep(1); s.Wait(); await Task.Yield(); } }
        """;

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var d in AllRules.Descriptors)
            data.Add(d.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task EnabledRule_RegistersActions(string id)
    {
        var telemetry = await TelemetryAsync(id, ReportDiagnostic.Default);
        Assert.True(Actions(telemetry) > 0, id + " registered no actions while enabled");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task SuppressedRule_RegistersNoActions(string id)
    {
        var telemetry = await TelemetryAsync(id, ReportDiagnostic.Suppress);
        Assert.Equal(0, Actions(telemetry));
    }

    // Every bulk way of turning rules off is read too, in the compiler's order: per-ID beats category beats all.
    [Theory]
    [InlineData("dotnet_analyzer_diagnostic.severity = none", false)]
    [InlineData("dotnet_analyzer_diagnostic.category-{1}.severity = none", false)]
    [InlineData("dotnet_analyzer_diagnostic.category-{1}.severity = warning\ndotnet_analyzer_diagnostic.severity = none", true)]
    [InlineData("dotnet_analyzer_diagnostic.category-Other.severity = none", true)]
    [InlineData("dotnet_analyzer_diagnostic.severity = none\ndotnet_diagnostic.{0}.severity = warning", true)]
    [InlineData("dotnet_diagnostic.{0}.severity = none\ndotnet_analyzer_diagnostic.severity = error", false)]
    public async Task BulkAndCategorySeverities_DecideWhetherTheRuleRuns(string editorConfig, bool runs)
    {
        foreach (var descriptor in AllRules.Descriptors)
        {
            var id = descriptor.Id; // {0} is the rule's ID, {1} its category
            var config = "root = true\n[*.cs]\n" + string.Format(editorConfig, id, descriptor.Category) + "\n";
            var telemetry = await TelemetryAsync(id, ReportDiagnostic.Default, config);
            Assert.True(runs == Actions(telemetry) > 0, id + " with '" + editorConfig + "' registered " + Actions(telemetry) + " actions");
        }
    }

    [Fact]
    public async Task NoWarn_BeatsAnEditorConfigThatTurnsTheRuleOn()
    {
        foreach (var id in AllRules.Descriptors.Select(d => d.Id))
        {
            var telemetry = await TelemetryAsync(id, ReportDiagnostic.Suppress, "root = true\n[*.cs]\ndotnet_diagnostic." + id + ".severity = error\n");
            Assert.Equal(0, Actions(telemetry));
        }
    }

    [Fact]
    public async Task CompilationWithoutTasks_RegistersNoActions()
    {
        // A compilation without System.Threading.Tasks (no references) has no async code to protect.
        var compilation = CSharpCompilation.Create("empty", new[] { CSharpSyntaxTree.ParseText("class C { }") });
        var analyzer = AllRules.Analyzers.First();
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default);
        Assert.Equal(0, Actions(telemetry));
    }

    /// <summary>Every action a rule registers after its compilation start (operations for most, the end for CONC900).</summary>
    private static int Actions(AnalyzerTelemetryInfo telemetry) =>
        telemetry.OperationActionsCount + telemetry.SyntaxNodeActionsCount + telemetry.OperationBlockActionsCount
        + telemetry.OperationBlockStartActionsCount + telemetry.SymbolActionsCount + telemetry.CompilationEndActionsCount
        + telemetry.SemanticModelActionsCount + telemetry.SyntaxTreeActionsCount;

    private static async Task<AnalyzerTelemetryInfo> TelemetryAsync(string id, ReportDiagnostic severity, string? editorConfig = null)
    {
        var analyzer = AllRules.Analyzers.Single(a => a.SupportedDiagnostics.Any(d => d.Id == id));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        if (severity != ReportDiagnostic.Default)
            options = options.WithSpecificDiagnosticOptions(new[] { new System.Collections.Generic.KeyValuePair<string, ReportDiagnostic>(id, severity) });
        var tree = CSharpSyntaxTree.ParseText(Source, path: "/src/Test.cs");
        var optionsProvider = EditorConfigOptions.Create(editorConfig, tree, out var treeOptions);
        if (treeOptions is not null)
            options = options.WithSyntaxTreeOptionsProvider(treeOptions);
        var compilation = CSharpCompilation.Create("test", new[] { tree }, Net10References.All, options);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, optionsProvider), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        if (severity == ReportDiagnostic.Suppress)
            Assert.DoesNotContain(diagnostics, d => d.Id == id);
        return await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default);
    }
}
