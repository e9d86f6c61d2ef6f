using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ConcurrencyAnalyzers.Tests.Verifiers;

/// <summary>
/// A thin layer over Microsoft.CodeAnalysis.Testing: net10.0 references, common usings prepended to every source,
/// and Fix All checked by the library on every fix test.
/// </summary>
public static class CSharpVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Prepended to test sources, so that tests show only the code that matters.</summary>
    public const string Usings = TestSources.Usings;

    /// <summary>
    /// A diagnostic of the rule. The operand every diagnostic carries as its additional location (the fix contract) is
    /// checked by the fix tests, which only pass when the fixer found it, and by <c>FixContractTests</c>.
    /// </summary>
    public static DiagnosticResult Diagnostic() =>
        new DiagnosticResult(new TAnalyzer().SupportedDiagnostics[0]).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, editorConfig: null, expected);

    public static async Task VerifyAnalyzerAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = Usings + source };
        if (IsTopLevelProgram(source))
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
        if (editorConfig is not null)
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static Task VerifyCodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected) =>
        VerifyCodeFixAsync(source, fixedSource, prependUsings: true, expected);

    public static async Task VerifyCodeFixAsync(string source, string fixedSource, bool prependUsings, params DiagnosticResult[] expected)
    {
        var prefix = prependUsings ? Usings : string.Empty;
        var test = new Test { TestCode = prefix + source, FixedCode = prefix + fixedSource };
        if (IsTopLevelProgram(source))
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary>A fix with an <c>.editorconfig</c> and the code action chosen by its equivalence key (several actions per diagnostic).</summary>
    /// <param name="fixedHasUsings">The fixed source spells out its usings (a fix that adds one).</param>
    public static async Task VerifyCodeFixAsync(string source, string fixedSource, string? editorConfig, string? equivalenceKey, bool fixedHasUsings, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = Usings + source, FixedCode = (fixedHasUsings ? string.Empty : Usings) + fixedSource, CodeActionEquivalenceKey = equivalenceKey };
        if (editorConfig is not null)
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary>A diagnostic whose fix must not be offered: the fixed state is the source, unchanged.</summary>
    public static Task VerifyNoFixAsync(string source, params DiagnosticResult[] expected) =>
        VerifyNoFixAsync(source, editorConfig: null, expected);

    public static async Task VerifyNoFixAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = Usings + source, FixedCode = Usings + source };
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
            test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    // The markup ({|#0:…|}) is removed first: parsed as C#, it can make the parser recover into global statements.
    private static bool IsTopLevelProgram(string source) =>
        Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(System.Text.RegularExpressions.Regex.Replace(source, @"\{\|#\d+:|\|\}|\[\||\|\]", string.Empty)).GetCompilationUnitRoot().Members
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any();

    internal sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = Net10References.ReferenceAssemblies;
            TestState.AdditionalReferences.AddRange(Net10References.All);
            TestState.AdditionalReferences.Add(Net10References.Runtime);
            TestState.OutputKind = OutputKind.DynamicallyLinkedLibrary;
        }
    }
}

/// <summary>What every test source starts with.</summary>
public static class TestSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        """;
}
