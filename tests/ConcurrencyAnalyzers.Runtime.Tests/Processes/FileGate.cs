using System;
using System.IO;
using System.Threading.Tasks;

namespace ConcurrencyAnalyzers.Runtime.Tests.Processes;

/// <summary>A gate another process can wait on: closed until its file exists (<see cref="WorkerJobs.WaitForFile"/>).</summary>
internal sealed class FileGate : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "conc-gate-" + Guid.NewGuid().ToString("N"));

    public Task OpenAsync() => File.WriteAllTextAsync(Path, "open");

    public void Dispose() => File.Delete(Path);
}
