using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Conventions;

/// <summary>
/// The rule tables of the repository README and the package README are generated from the descriptors: one row per
/// rule, in ID order, with its title and default severity as the descriptor says, linking to its page (relative in the
/// repository, the descriptor's help link on the gallery). The "Fix" column is the one hand-written part; it lives in
/// the repository README and is copied into the package README. A stale table fails here, with the table it should be;
/// <c>UPDATE_RULE_TABLES=1 dotnet test --filter RuleTableTests</c> writes it.
/// </summary>
public class RuleTableTests
{
    private const string Start = "<!-- rule-table:start (generated from the descriptors: see RuleTableTests) -->";
    private const string End = "<!-- rule-table:end -->";
    private const string Header = "| ID | Title | Default | Fix |\n|---|---|---|---|\n";

    [Fact]
    public void RepositoryReadme_RuleTableMatchesTheDescriptors() =>
        AssertTable("README.md", id => "docs/rules/" + id + ".md");

    [Fact]
    public void PackageReadme_RuleTableMatchesTheDescriptors() =>
        AssertTable("src/ConcurrencyAnalyzers.Package/README.md", id => AllRules.Descriptors.Single(d => d.Id == id).HelpLinkUri);

    /// <summary>A rule without a fixer says so ("—" and why); a rule with one names what it does.</summary>
    [Fact]
    public void FixColumn_SaysWhetherARuleHasAFix()
    {
        var fixes = FixColumn();
        var fixable = AllRules.CodeFixes.SelectMany(f => f.FixableDiagnosticIds).ToHashSet();
        foreach (var descriptor in AllRules.Descriptors)
        {
            Assert.True(fixes.TryGetValue(descriptor.Id, out var fix), descriptor.Id + " has no row in the README rule table");
            Assert.True(fixable.Contains(descriptor.Id) != fix.StartsWith("—", StringComparison.Ordinal),
                $"{descriptor.Id}: the Fix column reads '{fix}', but the rule {(fixable.Contains(descriptor.Id) ? "has" : "has no")} fixer");
        }
    }

    private static void AssertTable(string file, Func<string, string> link)
    {
        var path = RepositoryFiles.PathOf(file);
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var (before, current, after) = Split(text, file);
        var expected = Render(link, FixColumn());
        if (current == expected)
            return;
        if (Environment.GetEnvironmentVariable("UPDATE_RULE_TABLES") == "1")
        {
            File.WriteAllText(path, before + expected + after);
            return;
        }

        Assert.Fail($"The rule table of {file} is stale (run UPDATE_RULE_TABLES=1 dotnet test --filter RuleTableTests). It should read:\n{expected}");
    }

    private static string Render(Func<string, string> link, IReadOnlyDictionary<string, string> fixes)
    {
        var table = new StringBuilder(Header);
        foreach (var d in AllRules.Descriptors.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var severity = d.DefaultSeverity.ToString().ToLowerInvariant() + (d.IsEnabledByDefault ? string.Empty : " (off by default)");
            table.Append($"| [{d.Id}]({link(d.Id)}) | {d.Title} | {severity} | {(fixes.TryGetValue(d.Id, out var fix) ? fix : "?")} |\n");
        }

        return table.ToString();
    }

    /// <summary>The hand-written Fix column of the repository README's table, by rule ID.</summary>
    private static Dictionary<string, string> FixColumn()
    {
        var (_, table, _) = Split(File.ReadAllText(RepositoryFiles.PathOf("README.md")).Replace("\r\n", "\n"), "README.md");
        var fixes = new Dictionary<string, string>();
        foreach (var row in table.Split('\n').Skip(2).Where(r => r.StartsWith("| [", StringComparison.Ordinal)))
        {
            // | [ID](link) | Title | Default | Fix |: the fix is everything after the third cell separator.
            var cells = row.Split(" | ");
            var id = row.Substring(3, row.IndexOf(']') - 3);
            fixes[id] = string.Join(" | ", cells.Skip(3)).TrimEnd(' ', '|');
        }

        return fixes;
    }

    private static (string Before, string Table, string After) Split(string text, string file)
    {
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{file} has no rule table between '{Start}' and '{End}'");
        var tableStart = start + Start.Length + 1;
        return (text.Substring(0, tableStart), text.Substring(tableStart, end - tableStart), text.Substring(end));
    }
}
