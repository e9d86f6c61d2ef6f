using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Conventions;

/// <summary>Every relative link of the repository's Markdown resolves to a file (and a heading, when it names one) inside it.</summary>
public partial class DocLinkTests
{
    public static IEnumerable<object[]> Documents()
    {
        var root = RepositoryFiles.PathOf(".");
        return new[] { "README.md", "CONTRIBUTING.md", "CHANGELOG.md" }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)))
            .Select(f => new object[] { f.Replace('\\', '/') });
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void RelativeLinksResolveInsideTheRepository(string document)
    {
        var root = Path.GetFullPath(RepositoryFiles.PathOf("."));
        var path = Path.Combine(root, document);
        var text = File.ReadAllText(path);
        var broken = new List<string>();
        foreach (Match link in MarkdownLink().Matches(StripCode(text)))
        {
            var target = link.Groups["target"].Value;
            if (target.StartsWith("http://") || target.StartsWith("https://") || target.StartsWith("mailto:"))
                continue;
            var parts = target.Split('#', 2);
            var file = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
            if (!file.StartsWith(root) || !(File.Exists(file) || Directory.Exists(file)))
            {
                broken.Add(target + " (no such file in the repository)");
                continue;
            }

            if (parts.Length == 2 && file.EndsWith(".md") && !Anchors(File.ReadAllText(file)).Contains(parts[1]))
                broken.Add(target + " (no such heading)");
        }

        Assert.True(broken.Count == 0, document + ": " + string.Join(", ", broken));
    }

    // The packages' own READMEs are read on a gallery, outside the repository: every link is absolute (their rule
    // table is checked by RuleTableTests).
    [Theory]
    [InlineData("src/ConcurrencyAnalyzers.Package/README.md")]
    [InlineData("src/ConcurrencyAnalyzers.Runtime/README.md")]
    public void PackageReadme_HasOnlyAbsoluteLinks(string readme)
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf(readme));
        var links = MarkdownLink().Matches(StripCode(text)).Select(m => m.Groups["target"].Value).ToList();
        Assert.NotEmpty(links);
        var relative = links.Where(t => !t.StartsWith("https://")).ToList();
        Assert.True(relative.Count == 0, "relative links in " + readme + ": " + string.Join(", ", relative));
    }

    /// <summary>GitHub's anchors: a heading lower-cased, punctuation dropped, spaces as dashes.</summary>
    private static HashSet<string> Anchors(string markdown) =>
        Heading().Matches(markdown)
            .Select(m => Regex.Replace(m.Groups["title"].Value.Trim().ToLowerInvariant(), @"[^\p{L}\p{Nd}\s_-]", string.Empty).Replace(' ', '-'))
            .ToHashSet();

    /// <summary>Fenced and inline code hold no links.</summary>
    private static string StripCode(string markdown) => Regex.Replace(Regex.Replace(markdown, "```.*?```", string.Empty, RegexOptions.Singleline), "`[^`\n]*`", string.Empty);

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
