using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Tests.Verifiers;

/// <summary>Every analyzer and fixer the package ships, found by reflection as a host would find them.</summary>
internal static class AllRules
{
    public static Assembly AnalyzerAssembly { get; } = typeof(ConcurrencyAnalyzer).Assembly;

    public static Assembly CodeFixAssembly { get; } = typeof(ConcurrencyAnalyzers.CodeFixes.BlockingCodeFix).Assembly;

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = AnalyzerAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> CodeFixes { get; } = CodeFixAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } =
        Analyzers.SelectMany(a => a.SupportedDiagnostics).ToImmutableArray();
}
