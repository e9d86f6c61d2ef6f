using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Conventions;

/// <summary>Keeps descriptors, IDs, docs, help links, release tracking, presets, README and fixers in step.</summary>
public class RuleConventionTests
{
    /// <summary>Rules that deliberately ship without a fixer, with the reason.</summary>
    private static readonly Dictionary<string, string> NoFixReasons = new()
    {
        // What a worker process needs is a design decision: which captured values become the argument, which type
        // replaces a tuple or an interface. A lambda that captures nothing is accepted by the runtime and not reported.
        [RuleIds.ProcessBoundary] = "the change is a choice of what the argument carries; the message says what to pass",
        // The finding is in a settings file, which code fixes do not edit; the message names the entry and what happens.
        [RuleIds.Configuration] = "the change is to the settings file; the message says what the analyzers do instead",
    };

    public static IEnumerable<object[]> Ids() => AllRules.Descriptors.Select(d => new object[] { d.Id });

    [Fact]
    public void EveryRuleIdConstantHasExactlyOneAnalyzer()
    {
        var constants = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).OrderBy(x => x).ToList();
        var described = AllRules.Descriptors.Select(d => d.Id).OrderBy(x => x).ToList();
        Assert.Equal(constants, described);
        Assert.NotEmpty(constants);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void AnalyzerIsNamedForItsRule(string id)
    {
        var analyzer = AllRules.Analyzers.Single(a => a.SupportedDiagnostics.Any(d => d.Id == id));
        Assert.StartsWith(id, analyzer.GetType().Name);
        Assert.EndsWith("Analyzer", analyzer.GetType().Name);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLinkPointsAtTheRulesDocPage(string id)
    {
        var descriptor = AllRules.Descriptors.Single(d => d.Id == id);
        Assert.Equal(DescriptorFactory.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        var doc = RepositoryFiles.PathOf("docs/rules/" + id + ".md");
        Assert.True(File.Exists(doc), "missing " + doc);
        var firstLine = File.ReadLines(doc).First();
        Assert.Equal("# " + id + ": " + descriptor.Title, firstLine);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DocPageHasTheSectionsRulesMdAsksFor(string id)
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf("docs/rules/" + id + ".md"));
        foreach (var section in new[] { "## What it flags", "## Why", "## Example", "## Not flagged (on purpose)", "## Configuration", "## Suppressing" })
            Assert.Contains(section, text);
        Assert.Contains("```csharp", text);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ReleaseTrackingListsTheRuleWithItsCategoryAndSeverity(string id)
    {
        var descriptor = AllRules.Descriptors.Single(d => d.Id == id);
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("src/ConcurrencyAnalyzers/AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(RepositoryFiles.PathOf("src/ConcurrencyAnalyzers/AnalyzerReleases.Shipped.md")));
        var row = lines.Select(l => l.Split('|').Select(c => c.Trim()).ToArray()).SingleOrDefault(c => c.Length >= 3 && c[0] == id);
        Assert.NotNull(row);
        Assert.Equal(descriptor.Category, row![1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void RuleHasAFixerOrADocumentedReasonForNone(string id)
    {
        var fixers = AllRules.CodeFixes.Where(f => f.FixableDiagnosticIds.Contains(id)).ToList();
        if (NoFixReasons.ContainsKey(id))
        {
            Assert.Empty(fixers);
            return;
        }

        var fixer = Assert.Single(fixers);
        Assert.StartsWith(id, fixer.GetType().Name);
        Assert.EndsWith("CodeFix", fixer.GetType().Name);
        var export = fixer.GetType().GetCustomAttribute<ExportCodeFixProviderAttribute>()!;
        Assert.Equal(fixer.GetType().Name, export.Name);
        Assert.Contains(LanguageNames.CSharp, export.Languages);
        Assert.NotNull(fixer.GetFixAllProvider());
        var key = fixer.GetType().GetField("EquivalenceKey", BindingFlags.Public | BindingFlags.Static);
        Assert.NotNull(key);
        Assert.True(key!.IsLiteral, "equivalence keys are public constants");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ModePresetsSetTheRule(string id)
    {
        var descriptor = AllRules.Descriptors.Single(d => d.Id == id);
        var expected = new Dictionary<string, string>
        {
            ["recommended"] = descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning",
            ["strict"] = "error",
            ["none"] = "none",
        };
        foreach (var (mode, severity) in expected)
        {
            var text = File.ReadAllText(RepositoryFiles.PathOf("src/ConcurrencyAnalyzers.Package/config/" + mode + ".globalconfig"));
            Assert.Contains("dotnet_diagnostic." + id + ".severity = " + severity, text);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ReadmeRuleTableListsTheRule(string id)
    {
        var descriptor = AllRules.Descriptors.Single(d => d.Id == id);
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));
        Assert.Matches(new Regex(@"\|\s*\[" + id + @"\]\(docs/rules/" + id + @"\.md\)\s*\|\s*" + Regex.Escape(descriptor.Title.ToString()) + @"\s*\|"), readme);
    }

    [Fact]
    public void FixersOnlyFixKnownRules()
    {
        var ids = AllRules.Descriptors.Select(d => d.Id).ToHashSet();
        foreach (var fixer in AllRules.CodeFixes)
            Assert.All(fixer.FixableDiagnosticIds, id => Assert.Contains(id, ids));
    }
}
