using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Robustness;

/// <summary>
/// Analyzers never throw (an exception is AD0001 in the user's editor): every analyzer runs over every test source and
/// the samples with random edits — deleted tokens, truncated files, unbalanced braces, deleted lines, unknown names —
/// and every fix offered on the result is computed and applied. Seeds are fixed, so a failure reproduces.
/// </summary>
public class BrokenCodeTests
{
    private const int MutationsPerSource = 4;

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Sources())
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task MutatedSource_NoAnalyzerOrFixerThrows(string name)
    {
#pragma warning disable CONC005 // a test reads its corpus synchronously, once; nothing else waits on this thread
        var source = Sources().Single(s => s.Name == name).Text;
        var failures = new List<string>();
        var random = new Random(StableHash(name));
        var variants = new List<string> { source };
        for (var i = 0; i < MutationsPerSource; i++)
            variants.Add(Mutate(source, random, i)); // GetRoot of a tree parsed from a string reads nothing
#pragma warning restore CONC005

        foreach (var variant in variants)
            failures.AddRange(await RunAsync(variant));

        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Distinct().Take(5)));
    }

    private static async Task<List<string>> RunAsync(string text)
    {
        var failures = new ConcurrentBag<string>();
        var tree = CSharpSyntaxTree.ParseText(text, path: "Broken.cs");
        var compilation = CSharpCompilation.Create("Broken", new[] { tree }, Net10References.All.Add(Net10References.Runtime),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => failures.Add(analyzer.GetType().Name + " threw on:\n" + text + "\n" + exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(AllRules.Analyzers, options).GetAnalyzerDiagnosticsAsync();
        foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
            failures.Add(ad0001.GetMessage() + "\n" + text);

        if (diagnostics.Length > 0)
            await RunFixersAsync(text, diagnostics, failures);
        return failures.ToList();
    }

    private static async Task RunFixersAsync(string text, ImmutableArray<Diagnostic> diagnostics, ConcurrentBag<string> failures)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Broken", "Broken", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            metadataReferences: Net10References.All.Add(Net10References.Runtime)));
        var document = workspace.AddDocument(project.Id, "Broken.cs", SourceText.From(text));
        foreach (var diagnostic in diagnostics)
        {
            foreach (var fixer in AllRules.CodeFixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                try
                {
                    var actions = new List<CodeAction>();
                    var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
                    await fixer.RegisterCodeFixesAsync(context);
                    foreach (var action in actions)
                        await action.GetOperationsAsync(CancellationToken.None);
                }
                catch (Exception exception)
                {
                    failures.Add(fixer.GetType().Name + " threw on " + diagnostic + ":\n" + text + "\n" + exception);
                }
            }
        }
    }

    private static string Mutate(string source, Random random, int kind)
    {
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        var token = tokens[random.Next(tokens.Count)];
        switch ((kind + random.Next(5)) % 5)
        {
            case 0: // delete a token
                return source.Remove(token.SpanStart, token.Span.Length);
            case 1: // truncate the file
                return source.Substring(0, random.Next(source.Length / 3, source.Length));
            case 2: // unbalanced brace or parenthesis
                var chars = new[] { "{", "}", "(", ")", "\"" };
                return source.Insert(token.SpanStart, chars[random.Next(chars.Length)]);
            case 3: // delete a line
                var lines = source.Split('\n').ToList();
                lines.RemoveAt(random.Next(lines.Count));
                return string.Join("\n", lines);
            default: // an unknown name: error types everywhere it is used
                var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
                if (identifiers.Count == 0)
                    return source;
                var identifier = identifiers[random.Next(identifiers.Count)];
                return source.Remove(identifier.SpanStart, identifier.Span.Length).Insert(identifier.SpanStart, "Undefined" + identifier.ValueText);
        }
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var hash = 17;
            foreach (var c in s)
                hash = (hash * 31) + c;
            return hash;
        }
    }

    private static List<(string Name, string Text)>? _sources;

    /// <summary>The C# snippets of the rule tests (markup removed) and the samples' source files.</summary>
    private static List<(string Name, string Text)> Sources()
    {
        if (_sources is not null)
            return _sources;
        var list = new List<(string, string)>();
        var rawString = new Regex("/\\* lang=c#-test \\*/ \"\"\"\\r?\\n(.*?)\"\"\"", RegexOptions.Singleline);
        var markup = new Regex(@"\{\|#\d+:|\|\}");
        foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf("tests/ConcurrencyAnalyzers.Tests/Rules"), "*.cs", SearchOption.AllDirectories).OrderBy(f => f))
        {
            var index = 0;
            foreach (Match match in rawString.Matches(File.ReadAllText(file)))
            {
                var body = string.Join("\n", match.Groups[1].Value.Split('\n').Select(l => l.Length >= 8 ? l.Substring(8) : l.TrimStart()));
                list.Add((Path.GetFileNameWithoutExtension(file) + "#" + index++, TestSources.Usings + markup.Replace(body, string.Empty)));
            }
        }

        var samples = RepositoryFiles.PathOf("samples");
        if (Directory.Exists(samples))
        {
            foreach (var file in Directory.GetFiles(samples, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")).OrderBy(f => f))
                list.Add(("samples/" + Path.GetRelativePath(samples, file), File.ReadAllText(file)));
        }

        return _sources = list;
    }
}
