using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Rules.Configuration;

/// <summary>
/// CONC900: a package setting in <c>.editorconfig</c> or a global config that the analyzers cannot use — an API list
/// entry that names no symbol, an <c>offload_target</c> or a number they do not understand (<see cref="ConfigurationCheck"/>).
/// Without it such an entry is ignored in silence and the user believes it works. Reported once per setting value and
/// problem, at the end of the compilation, without a source location (the config file is not a source).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC900ConfigurationAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.Configuration,
        title: "Analyzer settings must name what exists",
        messageFormat: "{0}: {1}",
        RuleCategories.Configuration,
        description: "A ConcurrencyAnalyzers setting the analyzers cannot use is otherwise ignored without a word: an API list entry " +
                     "that is not a documentation ID or names no member of its type, a type missing from a namespace the project has, " +
                     "an offload target other than executors or bcl, a depth or bound that is not a whole number in range.",
        customTags: new[] { WellKnownDiagnosticTags.CompilationEnd });

    private static readonly IComparer<(string Key, string Value)> Ordinal = Comparer<(string Key, string Value)>.Create((a, b) =>
        string.CompareOrdinal(a.Key, b.Key) is var byKey and not 0 ? byKey : string.CompareOrdinal(a.Value, b.Value));

    public CONC900ConfigurationAnalyzer()
        : base(Descriptor)
    {
    }

#pragma warning disable RS1013 // The base class's start action decides whether the rule is on; the rule itself needs only the end.
    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var compilation = context.Compilation;
        var provider = context.Options.AnalyzerConfigOptionsProvider;
        context.RegisterCompilationEndAction(end =>
        {
            // Every value a setting takes anywhere in the compilation (each file's sections, the global config), once.
            var values = new SortedSet<(string Key, string Value)>(Ordinal);
            foreach (var key in ConfigurationCheck.CheckedKeys)
            {
                if (provider.GlobalOptions.TryGetValue(key, out var global))
                    values.Add((key, global));
                foreach (var tree in compilation.SyntaxTrees)
                {
                    if (provider.GetOptions(tree).TryGetValue(key, out var value))
                        values.Add((key, value));
                }
            }

            var reported = new HashSet<string>();
            foreach (var (key, value) in values)
            {
                foreach (var problem in ConfigurationCheck.Problems(key, value, compilation, analysis.Symbols.Libraries.HasRuntime))
                {
                    if (reported.Add(key + "\n" + problem))
                        end.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, key, problem));
                }
            }
        });
#pragma warning restore RS1013
    }
}
