using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Analyzers.Benchmarks;

/// <summary><c>--floor</c>: what registering operation actions costs the driver, by shape of registration (interleaved rounds, wall times).</summary>
internal static class Floor
{
    public static async Task RunAsync(int files, int rounds)
    {
        var corpus = Corpus.Create(files);
        var sets = new (string Name, AnalyzerSet Set)[]
        {
            ("nothing", AnalyzerSet.Of(new Profile.NothingAnalyzer())),
            ("no-op, 5 kinds", AnalyzerSet.Of(new Profile.NoOpOperationAnalyzer())),
            ("no-op, Invocation", AnalyzerSet.Of(new InvocationOnly())),
            ("no-op, 5 kinds in compilation start", AnalyzerSet.Of(new InStart())),
            ("MA0042+MA0045", AnalyzerSet.Peer("Meziantou", new[] { "Meziantou.Analyzer.dll" }, "MA0042", "MA0045")),
            ("VSTHRD002+VSTHRD103", AnalyzerSet.Peer("VsThreading", new[] { "Microsoft.VisualStudio.Threading.Analyzers.CSharp.dll", "Microsoft.VisualStudio.Threading.Analyzers.dll" }, "VSTHRD002", "VSTHRD103")),
            ("CA1849", AnalyzerSet.Peer("NetAnalyzers", new[] { "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll", "Microsoft.CodeAnalysis.NetAnalyzers.dll" }, "CA1849")),
            ("CONC", AnalyzerSet.Conc()),
        };
        var times = sets.ToDictionary(s => s.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, set) in sets)
            {
                var clock = Stopwatch.StartNew();
                await corpus.AnalyzeAsync(set).ConfigureAwait(false);
                times[name].Add(clock.Elapsed.TotalSeconds);
            }
        }

        foreach (var (name, _) in sets)
            Console.WriteLine($"{name,-40} median {Median(times[name]):F2} s   [{string.Join(" ", times[name].Select(t => t.ToString("F2")))}]");

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class InvocationOnly : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("NOOP0003", "no-op", "no-op", "Bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(_ => { }, OperationKind.Invocation);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class InStart : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("NOOP0004", "no-op", "no-op", "Bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start => start.RegisterOperationAction(
                _ => { }, OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.ObjectCreation, OperationKind.Using, OperationKind.UsingDeclaration));
        }
    }
}
