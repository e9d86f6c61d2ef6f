using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace ConcurrencyAnalyzers.Runtime.Tests.Processes;

[Collection(ProcessCollection.Name)]
public class ProcessSoakTests
{
    /// <summary>
    /// 10 000 jobs, 1 % of which kill their own worker: every other job returns its own correct result, every crashing
    /// job fails alone with <see cref="WorkerCrashedException"/>, nothing is lost or duplicated, and the pool returns to
    /// its configured size.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(8)] // items queued behind a crashing one in its worker are re-run, not failed
    public async Task TenThousandJobs_WithOnePercentCrashing_LoseNothing_AndThePoolRecovers(int pipelineDepth)
    {
        const int Jobs = 10_000;
        await using var executor = new ProcessExecutor(new ProcessExecutorOptions { Name = "soak", WorkerCount = 2, QueueCapacity = 256, PipelineDepth = pipelineDepth }, new LineLogger());
        var tasks = Enumerable.Range(0, Jobs).Select(i => executor.RunAsync(WorkerJobs.CrashOrCompute, (long)i)).ToArray();

        var outcomes = await Task.WhenAll(tasks.Select(async (task, i) =>
        {
            try
            {
                return (Index: i, Result: await task, Crashed: false);
            }
            catch (WorkerCrashedException)
            {
                return (Index: i, Result: 0L, Crashed: true);
            }
        }));

        Assert.Equal(Jobs, outcomes.Length);
        var crashed = outcomes.Where(o => o.Crashed).Select(o => o.Index).ToArray();
        Assert.Equal(Enumerable.Range(0, Jobs).Where(i => i % 100 == 37), crashed);
        Assert.All(outcomes.Where(o => !o.Crashed), o => Assert.Equal((o.Index * 7L) + 3, o.Result));

        await executor.WarmUpAsync(CancellationToken.None);
        Assert.Equal(2, executor.WorkerProcessIdsForTesting.Distinct().Count());
    }
}
