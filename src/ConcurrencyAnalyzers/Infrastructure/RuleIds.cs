namespace ConcurrencyAnalyzers;

/// <summary>The rule IDs of the package, sorted. IDs are fixed: tools, docs and users depend on them.</summary>
public static class RuleIds
{
    public const string BlockingWait = "CONC001";
    public const string Sleep = "CONC002";
    public const string SynchronousIO = "CONC003";
    public const string BlockingPrimitive = "CONC004";
    public const string BlockingHelper = "CONC005";
    public const string CpuBoundLoop = "CONC010";
    public const string CpuHeavyCall = "CONC011";
    public const string ComputeThread = "CONC020";
    public const string WaitingThread = "CONC021";
    public const string WrappedSynchronousIO = "CONC022";
    public const string PoolBlocking = "CONC023";
    public const string AsyncVoid = "CONC030";
    public const string AsyncVoidDelegate = "CONC031";
    public const string AsyncStartNew = "CONC032";
    public const string ProcessBoundary = "CONC040";
    public const string Configuration = "CONC900";
}
