using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConcurrencyAnalyzers.Analyzers.Benchmarks;

/// <summary>
/// The generated corpus, parsed once, and what is measured on it: a fresh compilation per run (so no run reuses another's
/// semantic models), compiled alone or with a set of analyzers as the compiler runs them (concurrently), returning the
/// number of diagnostics so nothing is optimized away.
/// </summary>
internal sealed class Corpus
{
    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    private readonly ImmutableArray<SyntaxTree> _trees;

    private Corpus(ImmutableArray<SyntaxTree> trees) => _trees = trees;

    public static Corpus Create(int files)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        return new Corpus(CorpusGenerator.Generate(files)
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, options, path: f.Path))
            .ToImmutableArray());
    }

    public int Lines => _trees.Sum(t => t.GetText().Lines.Count);

    public CSharpCompilation Compilation(CSharpCompilationOptions? options = null) =>
        CSharpCompilation.Create("Corpus", _trees, References, options ?? new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The compiler's own work: binding and every compiler diagnostic.</summary>
    public int Compile() => Compilation().GetDiagnostics().Length;

    /// <summary>The compiler's work and the analyzers', as a build does it.</summary>
    public async Task<int> AnalyzeAsync(AnalyzerSet set)
    {
        var compilation = Compilation(set.CompilationOptions);
        var options = new CompilationWithAnalyzersOptions(set.Options, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(set.Analyzers, options).GetAllDiagnosticsAsync().ConfigureAwait(false);
        return diagnostics.Length;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty;
        return platform.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}

/// <summary>A set of analyzers and the options it runs with (which rules are on, the editorconfig keys).</summary>
internal sealed class AnalyzerSet
{
    public AnalyzerSet(ImmutableArray<DiagnosticAnalyzer> analyzers, CSharpCompilationOptions compilationOptions, AnalyzerOptions options)
    {
        Analyzers = analyzers;
        CompilationOptions = compilationOptions;
        Options = options;
    }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public CSharpCompilationOptions CompilationOptions { get; }

    public AnalyzerOptions Options { get; }

    private static CSharpCompilationOptions DefaultCompilationOptions =>
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>Any analyzers, with default options.</summary>
    public static AnalyzerSet Of(params DiagnosticAnalyzer[] analyzers) =>
        new(analyzers.ToImmutableArray(), DefaultCompilationOptions, OptionsOf(null));

    /// <summary>
    /// Every rule of this package (all on, as the recommended preset has them), with these global analyzer-config
    /// options. As in a build, a <c>dotnet_diagnostic.ID.severity</c> key also reaches the compiler's per-tree severity
    /// provider (a key only in the analyzers' options would leave the rule on for the compiler and the driver).
    /// </summary>
    public static AnalyzerSet Conc(IReadOnlyDictionary<string, string>? globalOptions = null, CSharpCompilationOptions? compilationOptions = null)
    {
        var options = compilationOptions ?? DefaultCompilationOptions;
        var severities = (globalOptions ?? new Dictionary<string, string>())
            .Where(p => p.Key.StartsWith("dotnet_diagnostic.", StringComparison.OrdinalIgnoreCase) && p.Key.EndsWith(".severity", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.Key.Split('.')[1], p => Severity(p.Value), StringComparer.OrdinalIgnoreCase);
        if (severities.Count > 0)
            options = options.WithSyntaxTreeOptionsProvider(new SeverityProvider(severities));
        return new(ConcAnalyzers(), options, OptionsOf(globalOptions));
    }

    private static ReportDiagnostic Severity(string value) =>
        value.Trim().ToLowerInvariant() switch
        {
            "none" => ReportDiagnostic.Suppress,
            "silent" => ReportDiagnostic.Hidden,
            "suggestion" => ReportDiagnostic.Info,
            "warning" => ReportDiagnostic.Warn,
            "error" => ReportDiagnostic.Error,
            _ => ReportDiagnostic.Default,
        };

    /// <summary>The compiler's view of <c>dotnet_diagnostic.ID.severity</c> from a global config: the same for every tree.</summary>
    private sealed class SeverityProvider : SyntaxTreeOptionsProvider
    {
        private readonly Dictionary<string, ReportDiagnostic> _severities;

        public SeverityProvider(Dictionary<string, ReportDiagnostic> severities) => _severities = severities;

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false; // per-tree (.editorconfig) values: none here, the global ones apply
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _severities.TryGetValue(diagnosticId, out severity);
    }

    /// <summary>One rule of this package.</summary>
    public static AnalyzerSet ConcRule(string id) =>
        new(ConcAnalyzers().Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToImmutableArray(), DefaultCompilationOptions, OptionsOf(null));

    /// <summary>
    /// The analyzers of a peer package that report <paramref name="ids"/>, with every other rule those analyzers
    /// support turned off and the wanted ones turned on (some are off by default).
    /// </summary>
    public static AnalyzerSet Peer(string package, string[] assemblies, params string[] ids)
    {
        var root = typeof(Corpus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == package).Value!;
        var loader = new Loader();
        var analyzers = assemblies
            // The C# build for the newest Roslyn the package ships (analyzers/dotnet/roslyn5.9/cs/… sorts first).
            .Select(a => Directory.GetFiles(root, a, SearchOption.AllDirectories)
                .Where(p => p.Contains(Path.DirectorySeparatorChar + "cs" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .OrderByDescending(p => p, StringComparer.Ordinal)
                .First())
            .SelectMany(path => new AnalyzerFileReference(path, loader).GetAnalyzers(LanguageNames.CSharp))
            .Where(a => a.SupportedDiagnostics.Any(d => ids.Contains(d.Id)))
            .ToImmutableArray();
        if (analyzers.IsEmpty)
            throw new InvalidOperationException($"No analyzer of {package} reports {string.Join(", ", ids)}.");
        var severities = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct()
            .ToDictionary(id => id, id => ids.Contains(id) ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress);
        return new AnalyzerSet(analyzers, DefaultCompilationOptions.WithSpecificDiagnosticOptions(severities), OptionsOf(null));
    }

    /// <summary>The keys of the shipped <c>none</c> preset (a global config), as a build would read them.</summary>
    public static IReadOnlyDictionary<string, string> NonePreset()
    {
        var path = typeof(Corpus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NonePreset").Value!;
        return File.ReadAllLines(path)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2 && p[0].Trim().StartsWith("dotnet_diagnostic.", StringComparison.Ordinal))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every category of the CONC rules, from their descriptors (a new category is turned off with the rest).</summary>
    public static ImmutableArray<string> ConcCategories { get; } = ConcAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Category).Distinct().Order(StringComparer.Ordinal).ToImmutableArray();

    public static ImmutableArray<string> ConcIds { get; } = ConcAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToImmutableArray();

    private static ImmutableArray<DiagnosticAnalyzer> ConcAnalyzers() =>
        typeof(ConcurrencyAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    private static AnalyzerOptions OptionsOf(IReadOnlyDictionary<string, string>? global) =>
        new(ImmutableArray<AdditionalText>.Empty, new GlobalOptionsProvider(global ?? new Dictionary<string, string>()));

    /// <summary>Loads an analyzer assembly, and resolves its dependencies from the folder it came from.</summary>
    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Folders = new(StringComparer.Ordinal);

        static Loader() => AssemblyLoadContext.Default.Resolving += (context, name) =>
            Folders.Keys.Select(folder => Path.Combine(folder, name.Name + ".dll")).Where(File.Exists).Select(context.LoadFromAssemblyPath).FirstOrDefault();

        public void AddDependencyLocation(string fullPath) => Folders.TryAdd(Path.GetDirectoryName(fullPath)!, true);

        public Assembly LoadFromPath(string fullPath)
        {
            AddDependencyLocation(fullPath);
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
        }
    }

    /// <summary>Analyzer config options as a global config gives them: the same keys for every file.</summary>
    private sealed class GlobalOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly ConfigOptions _global;

        public GlobalOptionsProvider(IReadOnlyDictionary<string, string> values) => _global = new ConfigOptions(values);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

        private sealed class ConfigOptions : AnalyzerConfigOptions
        {
            private readonly IReadOnlyDictionary<string, string> _values;

            public ConfigOptions(IReadOnlyDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, out string value)
            {
                if (_values.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }

                value = string.Empty;
                return false;
            }
        }
    }
}
