namespace ConcurrencyAnalyzers;

/// <summary>Diagnostic categories, one per concern (the folders under Rules/).</summary>
internal static class RuleCategories
{
    public const string Blocking = "Blocking";
    public const string Boundaries = "Boundaries";
    public const string Compute = "Compute";
    public const string Configuration = "Configuration";
    public const string Executors = "Executors";
    public const string ThreadPool = "ThreadPool";
    public const string Threads = "Threads";
}
