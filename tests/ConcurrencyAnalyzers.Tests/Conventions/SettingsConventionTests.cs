using System.IO;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Conventions;

/// <summary>Every setting the package reads is documented in docs/configuration.md, with its default.</summary>
public class SettingsConventionTests
{
    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var key in AnalyzerSettings.Keys)
            data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void SettingKey_IsDocumented(string key)
    {
        var doc = File.ReadAllText(RepositoryFiles.PathOf("docs/configuration.md"));
        Assert.Contains("`" + key + "`", doc);
    }

    [Fact]
    public void BulkSeverityKeys_AreDocumented()
    {
        var doc = File.ReadAllText(RepositoryFiles.PathOf("docs/configuration.md"));
        Assert.Contains(RuleEnablement.BulkSeverityKey, doc);
        Assert.Contains(RuleEnablement.CategorySeverityKey("Blocking"), doc);
    }
}
