using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ConcurrencyAnalyzers.CodeFixes;
using ConcurrencyAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace ConcurrencyAnalyzers.Tests.Fixes;

/// <summary>
/// The statement-range offload rewrite on its own, before any rule uses it (CONC010 will): the statements between
/// <c>/*[*/</c> and <c>/*]*/</c> move into <c>await ThreadExecutor.Compute.RunAsync(() =&gt; { … }, token)</c>, the values
/// they assign stay available after it, the result compiles — or the rewrite refuses.
/// </summary>
public class OffloadStatementsRewriteTests
{
    private static readonly FixPlan Compute = new(ImmutableArray.Create(FixKind.OffloadStatements), token: "ct", target: OffloadTarget.Executors, pool: ExecutorPool.Compute);

    [Fact]
    public Task OneValueDeclaredInTheRange_IsReturned() => VerifyAsync(
        """
        async Task<int> M(int[] data, CancellationToken ct)
        {
            await Task.Yield();
            /*[*/var sum = 0;
            foreach (var x in data)
                sum += x * x;/*]*/
            return sum;
        }
        """,
        """
        async Task<int> M(int[] data, CancellationToken ct)
        {
            await Task.Yield();
            var sum = await ThreadExecutor.Compute.RunAsync(() =>
            {
                var sum = 0;
                foreach (var x in data)
                    sum += x * x;
                return sum;
            }, ct);
            return sum;
        }
        """);

    [Fact]
    public Task TwoValuesDeclaredInTheRange_AreReturnedAsATuple() => VerifyAsync(
        """
        async Task<int> M(int[] data, CancellationToken ct)
        {
            await Task.Yield();
            /*[*/var min = data.Min();
            var max = data.Max();/*]*/
            return max - min;
        }
        """,
        """
        async Task<int> M(int[] data, CancellationToken ct)
        {
            await Task.Yield();
            var (min, max) = await ThreadExecutor.Compute.RunAsync(() =>
            {
                var min = data.Min();
                var max = data.Max();
                return (min, max);
            }, ct);
            return max - min;
        }
        """);

    [Fact]
    public Task AVariableDeclaredBefore_IsAssignedInPlace() => VerifyAsync(
        """
        async Task<long> M(int n, CancellationToken ct)
        {
            long total = 0;
            await Task.Yield();
            /*[*/for (var i = 0; i < n; i++)
                total += i;/*]*/
            return total;
        }
        """,
        """
        async Task<long> M(int n, CancellationToken ct)
        {
            long total = 0;
            await Task.Yield();
            await ThreadExecutor.Compute.RunAsync(() =>
            {
                for (var i = 0; i < n; i++)
                    total += i;
            }, ct);
            return total;
        }
        """);

    [Theory]
    [InlineData("class C { async Task<int> M(int n, CancellationToken ct) { await Task.Yield(); /*[*/await Task.Delay(1);/*]*/ return n; } }", "it awaits")]
    [InlineData("class C { async Task<int> M(int n, CancellationToken ct) { await Task.Yield(); /*[*/if (n > 1) return n;/*]*/ return 0; } }", "it returns out of the method")]
    [InlineData("class C { async Task<int> M(int n, CancellationToken ct) { await Task.Yield(); /*[*/Span<int> s = stackalloc int[4]; s[0] = n;/*]*/ return n; } }", "a Span cannot be captured")]
    [InlineData("struct S { int f; async Task<int> M(CancellationToken ct) { await Task.Yield(); /*[*/f++;/*]*/ return f; } }", "a struct's this cannot be captured")]
    [InlineData("class C { async Task<int> M(int[] data, CancellationToken ct) { await Task.Yield(); foreach (var x in data) { /*[*/if (x > 0) break;/*]*/ } return 0; } }", "it jumps out of the loop")]
    [InlineData("class C { async Task<int> M(int n, CancellationToken ct) { int total; await Task.Yield(); /*[*/total = n * n;/*]*/ return total; } }", "total would not be definitely assigned after the lambda (CS0165)")]
    public async Task RangesALambdaCannotHold_AreRefused(string type, string why)
    {
        var (document, statements) = await PrepareAsync(TestSources.Usings + "using ConcurrencyAnalyzers.Runtime;\n\n" + type + "\n");
        Assert.NotEmpty(statements);
        var model = (await document.GetSemanticModelAsync())!;
        Assert.True(OffloadStatementsRewrite.TryRewrite(statements, model, Compute, configureAwait: false, CancellationToken.None) is null, why);
    }

    private static string Wrap(string member) =>
        TestSources.Usings + "using ConcurrencyAnalyzers.Runtime;\n\nclass C\n{\n" + member + "\n}\n";

    private static async Task VerifyAsync(string member, string expected)
    {
        var (document, statements) = await PrepareAsync(Wrap(Indent(member)));
        var model = (await document.GetSemanticModelAsync())!;
        var replacement = OffloadStatementsRewrite.TryRewrite(statements, model, Compute, configureAwait: false, CancellationToken.None);
        Assert.NotNull(replacement);

        var root = (await document.GetSyntaxRootAsync())!;
        var block = (BlockSyntax)statements[0].Parent!;
        var index = block.Statements.IndexOf(statements[0]);
        var statementsAfter = block.Statements.Take(index).Concat(replacement!.Value).Concat(block.Statements.Skip(index + statements.Count));
        var fixedDocument = document.WithSyntaxRoot(root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(statementsAfter))));
        // What the fix engine does after every rewrite: shorten the qualified names, format what was written.
        fixedDocument = await Microsoft.CodeAnalysis.Simplification.Simplifier.ReduceAsync(fixedDocument, Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation);
        fixedDocument = await Formatter.FormatAsync(fixedDocument, Formatter.Annotation);
        var text = (await fixedDocument.GetTextAsync()).ToString();

        Assert.Equal(Wrap(Indent(expected)).Replace("\r\n", "\n"), text.Replace("\r\n", "\n"));
        var errors = (await fixedDocument.Project.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(errors);
    }

    private static string Indent(string member) => string.Join("\n", member.Split('\n').Select(l => l.Length == 0 ? l : "    " + l));

    /// <summary>The document without the markers, and the statements of one block that lay between them.</summary>
    private static async Task<(Document Document, System.Collections.Generic.IReadOnlyList<StatementSyntax> Statements)> PrepareAsync(string marked)
    {
        var start = marked.IndexOf("/*[*/", System.StringComparison.Ordinal);
        var source = marked.Remove(start, 5);
        var end = source.IndexOf("/*]*/", System.StringComparison.Ordinal);
        source = source.Remove(end, 5);

        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Offload", "Offload", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: Net10References.All.Add(Net10References.Runtime)));
        var document = workspace.AddDocument(project.Id, "Offload.cs", SourceText.From(source));
        var root = (await document.GetSyntaxRootAsync())!;
        var statements = root.DescendantNodes().OfType<StatementSyntax>()
            .Where(s => s.Parent is BlockSyntax && s.SpanStart >= start && s.Span.End <= end)
            .ToList();
        return (document, statements);
    }
}
