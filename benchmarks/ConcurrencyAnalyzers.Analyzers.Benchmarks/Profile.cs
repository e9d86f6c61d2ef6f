using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Analyzers.Benchmarks;

/// <summary>
/// <c>--profile</c>: where the analyzer time goes. Runs each analyzer set with the driver's per-analyzer execution times
/// on, next to an analyzer that registers the same operation actions and does nothing — the floor every operation-based
/// analyzer pays (the driver builds the operation trees it walks), measured in the same process.
/// </summary>
internal static class Profile
{
    public static async Task RunAsync(int files)
    {
        var corpus = Corpus.Create(files);
        Console.WriteLine($"corpus: {files} files, {corpus.Lines} lines");
        var sets = new (string Name, AnalyzerSet Set)[]
        {
            ("no-op operation analyzer (the floor)", AnalyzerSet.Of(new NoOpOperationAnalyzer())),
            ("CONC, all rules", AnalyzerSet.Conc()),
            ("MA0042+MA0045", AnalyzerSet.Peer("Meziantou", new[] { "Meziantou.Analyzer.dll" }, "MA0042", "MA0045")),
            ("VSTHRD002+VSTHRD103", AnalyzerSet.Peer("VsThreading", new[] { "Microsoft.VisualStudio.Threading.Analyzers.CSharp.dll", "Microsoft.VisualStudio.Threading.Analyzers.dll" }, "VSTHRD002", "VSTHRD103")),
            ("CA1849", AnalyzerSet.Peer("NetAnalyzers", new[] { "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll", "Microsoft.CodeAnalysis.NetAnalyzers.dll" }, "CA1849")),
        };
        for (var round = 0; round < 2; round++)
        {
            foreach (var (name, set) in sets)
            {
                var compilation = corpus.Compilation(set.CompilationOptions);
                var options = new CompilationWithAnalyzersOptions(set.Options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
                var withAnalyzers = compilation.WithAnalyzers(set.Analyzers, options);
                var clock = Stopwatch.StartNew();
                var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
                clock.Stop();
                var times = new List<(string, TimeSpan)>();
                foreach (var analyzer in set.Analyzers)
                    times.Add((analyzer.GetType().Name, (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false)).ExecutionTime));
                Console.WriteLine($"round {round + 1} | {name}: wall {clock.Elapsed.TotalSeconds:F2} s (sequential, with binding), analyzer execution {times.Sum(t => t.Item2.TotalSeconds):F2} s, {diagnostics.Length} diagnostics");
                foreach (var (analyzer, time) in times.OrderByDescending(t => t.Item2))
                    Console.WriteLine($"    {analyzer,-45} {time.TotalSeconds,6:F2} s");
            }
        }
    }

    /// <summary>Registers the operation kinds the CONC rules register, and does nothing in them.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class NoOpOperationAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("NOOP0001", "no-op", "no-op", "Bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(
                _ => { },
                OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.ObjectCreation, OperationKind.Using, OperationKind.UsingDeclaration);
        }
    }

    /// <summary>Registers nothing: what the analyzer driver itself costs (it binds its own copy of the compilation).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class NothingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("NOOP0002", "nothing", "nothing", "Bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        }
    }
}
