using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.EndToEnd.Tests;

/// <summary>CI's view: `dotnet build` of a user's project that references the packed package.</summary>
[Collection(PackedPackageCollection.Name)]
public sealed class BuildTests(PackedPackage package)
{
    private Consumer NewConsumer(string name, string extraProperties = "") =>
        package.CreateConsumer(name, extraProperties)
            .WithFile(ConsumerSources.ServiceFile, ConsumerSources.Service)
            .WithFile(ConsumerSources.ProgramFile, ConsumerSources.Program);

    [Fact]
    public async Task Build_ReportsEachRuleAsAWarningAtItsLine()
    {
        var consumer = NewConsumer("BuildWarnings");
        var result = await consumer.BuildAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var reported = Consumer.Diagnostics(result);
        Assert.All(reported, d => Assert.Equal("warning", d.Severity));
        Assert.Equal(
            Consumer.Expected(ConsumerSources.ServiceFile, ConsumerSources.Service).OrderBy(x => x).ToList(),
            reported.Select(d => (d.File, d.Line, d.Id)).OrderBy(x => x).ToList());
    }

    [Fact]
    public async Task Build_WritesSarifWithTheRulesAndTheirHelpLinks()
    {
        var consumer = NewConsumer("Sarif");
        var sarif = Path.Combine(consumer.Directory, "out.sarif");
        var result = await consumer.BuildAsync($"\"-p:ErrorLog={sarif}%2Cversion=2.1\"");
        Assert.True(result.ExitCode == 0, result.ToString());

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(sarif));
        var run = document.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("CONC"))
            .Select(r => (
                Id: r.GetProperty("ruleId").GetString()!,
                Line: r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32()))
            .OrderBy(x => x)
            .ToList();
        var expected = Consumer.Expected(ConsumerSources.ServiceFile, ConsumerSources.Service).Select(e => (e.Id, e.Line)).OrderBy(x => x).ToList();
        Assert.Equal(expected, results);

        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Where(r => r.GetProperty("id").GetString()!.StartsWith("CONC")).ToList();
        Assert.Equal(new[] { "CONC001", "CONC002", "CONC003", "CONC004", "CONC005", "CONC010", "CONC011", "CONC020", "CONC021", "CONC022", "CONC023", "CONC030", "CONC031", "CONC032", "CONC040", "CONC900" }, rules.Select(r => r.GetProperty("id").GetString()).OrderBy(x => x));
        Assert.All(rules, r => Assert.EndsWith("/docs/rules/" + r.GetProperty("id").GetString() + ".md", r.GetProperty("helpUri").GetString()));
    }

    [Fact]
    public async Task TreatWarningsAsErrors_FailsTheBuild()
    {
        var consumer = NewConsumer("WarnAsError", "<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");
        var result = await consumer.BuildAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(Consumer.Diagnostics(result), d => d.Id == "CONC001" && d.Severity == "error");
    }

    [Fact]
    public async Task EditorConfigSeverity_TurnsARuleOffOrUp()
    {
        var consumer = NewConsumer("EditorConfig").WithFile(".editorconfig", """
            root = true
            [*.cs]
            dotnet_diagnostic.CONC002.severity = none
            dotnet_diagnostic.CONC003.severity = error
            """);
        var result = await consumer.BuildAsync();

        var reported = Consumer.Diagnostics(result);
        Assert.DoesNotContain(reported, d => d.Id == "CONC002");
        Assert.Contains(reported, d => d.Id == "CONC003" && d.Severity == "error");
        Assert.Contains(reported, d => d.Id == "CONC001" && d.Severity == "warning");
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task ModeStrict_MakesEveryRuleAnError()
    {
        var consumer = NewConsumer("ModeStrict", "<ConcurrencyAnalyzersMode>strict</ConcurrencyAnalyzersMode>");
        var result = await consumer.BuildAsync();

        Assert.NotEqual(0, result.ExitCode);
        var reported = Consumer.Diagnostics(result);
        Assert.Equal(new[] { "CONC001", "CONC002", "CONC003", "CONC004", "CONC005", "CONC010", "CONC011", "CONC020", "CONC021", "CONC022", "CONC023", "CONC030", "CONC031", "CONC032" }, reported.Select(d => d.Id).Distinct().OrderBy(x => x));
        Assert.All(reported, d => Assert.Equal("error", d.Severity));
    }

    [Fact]
    public async Task ModeNone_ReportsNothing()
    {
        var consumer = NewConsumer("ModeNone", "<ConcurrencyAnalyzersMode>none</ConcurrencyAnalyzersMode>");
        var result = await consumer.BuildAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(Consumer.Diagnostics(result));
    }

    [Fact]
    public async Task UnknownMode_FailsWithAClearError()
    {
        var consumer = NewConsumer("ModeTypo", "<ConcurrencyAnalyzersMode>strcit</ConcurrencyAnalyzersMode>");
        var result = await consumer.BuildAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ConcurrencyAnalyzersMode is 'strcit'; it must be recommended, strict or none.", result.Output);
    }

    // A settings entry the analyzers cannot use is reported by the build (CONC900), not ignored in silence.
    [Fact]
    public async Task AMisspelledSetting_IsReportedByTheBuild()
    {
        var consumer = NewConsumer("SettingTypo").WithFile(".editorconfig", """
            root = true
            [*.cs]
            concurrency_analyzers.excluded_apis = M:Consumer.Service.Lod(System.String)
            concurrency_analyzers.offload_target = threads
            """);
        var result = await consumer.BuildAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning CONC900: concurrency_analyzers.offload_target: 'threads' is neither 'executors' nor 'bcl'; the fixes use the executors", result.Output);
        Assert.Contains("warning CONC900: concurrency_analyzers.excluded_apis: 'M:Consumer.Service.Lod(System.String)' names no member of 'Consumer.Service'", result.Output);
    }
}
