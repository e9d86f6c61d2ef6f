using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Configuration.CONC900ConfigurationAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace ConcurrencyAnalyzers.Tests.Rules.Configuration;

public class CONC900ConfigurationTests
{
    private const string Source = """
        namespace MyCompany
        {
            public class Store
            {
                public string Load(string key) => key;
                public string Load(string key, int version) => key;
            }
        }
        """;

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Setting(string key, string problem) =>
        VerifyCS.Diagnostic().WithArguments(key, problem);

    [Fact]
    public Task EntriesThatNameWhatExists_AreQuiet() => VerifyCS.VerifyAnalyzerAsync(Source, """
        concurrency_analyzers.excluded_apis = M:MyCompany.Store.Load(System.String), M:MyCompany.Store.Load(System.String,System.Int32), T:MyCompany.Store
        concurrency_analyzers.additional_blocking_apis = M:System.IO.File.Exists(System.String)
        concurrency_analyzers.additional_cpu_heavy_apis = T:Other.Library.Hasher
        concurrency_analyzers.offload_target = bcl
        CONC005.max_depth = 8
        CONC010.min_constant_iterations = 50_000
        """);

    [Fact]
    public Task AMisspelledMember_OrParameterTypesAsKeywords_AreReported() => VerifyCS.VerifyAnalyzerAsync(Source, """
        concurrency_analyzers.excluded_apis = M:MyCompany.Store.Lod(System.String), M:MyCompany.Store.Load(string)
        """,
        Setting("concurrency_analyzers.excluded_apis", "'M:MyCompany.Store.Lod(System.String)' names no member of 'MyCompany.Store' (check the name and the parameter types, e.g. System.String); the entry is ignored"),
        Setting("concurrency_analyzers.excluded_apis", "'M:MyCompany.Store.Load(string)' names no member of 'MyCompany.Store' (check the name and the parameter types, e.g. System.String); the entry is ignored"));

    // A type missing from a namespace the project has is a typo; a namespace the project does not have at all belongs
    // to a library that other projects of a solution-wide .editorconfig reference (quiet, as in the first test).
    [Fact]
    public Task AMissingTypeOfAKnownNamespace_AndAnEntryThatIsNoDocumentationId_AreReported() => VerifyCS.VerifyAnalyzerAsync(Source, """
        concurrency_analyzers.additional_blocking_apis = T:MyCompany.Stor, MyCompany.Store.Load, M:MyCompany.Stor.Load(System.String)
        """,
        Setting("concurrency_analyzers.additional_blocking_apis", "'T:MyCompany.Stor' names no type of namespace 'MyCompany'; the entry is ignored"),
        Setting("concurrency_analyzers.additional_blocking_apis", "'MyCompany.Store.Load' is not a documentation ID (M:Namespace.Type.Method(System.String), T:Namespace.Type, P:…); the entry is ignored"),
        Setting("concurrency_analyzers.additional_blocking_apis", "'M:MyCompany.Stor.Load(System.String)': the namespace has no type 'MyCompany.Stor'; the entry is ignored"));

    [Fact]
    public Task AnUnknownOffloadTarget_AndNumbersItCannotUse_AreReported() => VerifyCS.VerifyAnalyzerAsync(Source, """
        concurrency_analyzers.offload_target = threads
        CONC005.max_depth = 50
        CONC010.min_constant_iterations = lots
        """,
        Setting("concurrency_analyzers.offload_target", "'threads' is neither 'executors' nor 'bcl'; the fixes use the executors"),
        Setting("CONC005.max_depth", "50 is outside 1…20; 20 is used"),
        Setting("CONC010.min_constant_iterations", "'lots' is not a whole number; the default 10000 is used"));

    // 'executors' is what a project with the runtime library gets anyway; without the library it cannot be honoured.
    [Fact]
    public async Task Executors_IsQuietWithTheRuntimeLibrary_AndReportedWithoutIt()
    {
        await VerifyCS.VerifyAnalyzerAsync(Source, "concurrency_analyzers.offload_target = executors\n");

        var test = new VerifyCS.Test { TestCode = Source };
        test.TestState.AdditionalReferences.Remove(Verifiers.Net10References.Runtime);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\nconcurrency_analyzers.offload_target = executors\n"));
        test.ExpectedDiagnostics.Add(Setting("concurrency_analyzers.offload_target", "'executors', but the project does not reference ConcurrencyAnalyzers.Runtime; the fixes use Task.Run"));
        await test.RunAsync();
    }

    // One value used by many files is one finding, not one per file.
    [Fact]
    public async Task AValueSharedByEveryFile_IsReportedOnce()
    {
        var test = new VerifyCS.Test { TestCode = Source };
        test.TestState.Sources.Add(("/0/Other.cs", "namespace MyCompany { class Other { } }"));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\nconcurrency_analyzers.excluded_apis = T:MyCompany.Missing\n"));
        test.ExpectedDiagnostics.Add(Setting("concurrency_analyzers.excluded_apis", "'T:MyCompany.Missing' names no type of namespace 'MyCompany'; the entry is ignored"));
        await test.RunAsync();
    }
}
