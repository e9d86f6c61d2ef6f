using System.Globalization;
using System.Text;

namespace ConcurrencyAnalyzers.Analyzers.Benchmarks;

/// <summary>
/// A deterministic async-heavy corpus: each file is a service with async entry points, chains of synchronous helpers
/// up to six calls deep (some ending in a blocking call, most not), loops, threads and pool work, file and stream I/O,
/// task waits, locks — and the correct look-alikes of each (awaited tasks before <c>.Result</c>, zero timeouts,
/// <c>MemoryStream</c>, CPU-bound <c>Task.Run</c>). About 150 lines a file; the same seed gives the same sources.
/// </summary>
internal static class CorpusGenerator
{
    public static IReadOnlyList<(string Path, string Text)> Generate(int files, int seed = 20261201)
    {
        var random = new Random(seed);
        var result = new List<(string, string)>(files);
        for (var i = 0; i < files; i++)
            result.Add(($"Service{i:D4}.cs", File(i, random)));
        return result;
    }

    private static string File(int index, Random random)
    {
        var depth = 1 + (index % 6);
        var blockingLeaf = random.Next(4) == 0;
        var s = new StringBuilder();
        s.AppendLine("using System;");
        s.AppendLine("using System.Collections.Generic;");
        s.AppendLine("using System.IO;");
        s.AppendLine("using System.Linq;");
        s.AppendLine("using System.Threading;");
        s.AppendLine("using System.Threading.Tasks;");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"namespace Corpus.Area{index % 40};");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"public sealed class Service{index}");
        s.AppendLine("{");
        s.AppendLine("    private readonly SemaphoreSlim _gate = new(1);");
        s.AppendLine("    private readonly Dictionary<string, string> _cache = new();");
        s.AppendLine("    private readonly Stream _stream = Stream.Null;");
        s.AppendLine("    private string? _settings;");
        s.AppendLine();
        // Async entry points.
        s.AppendLine("    public async Task<int> HandleAsync(string path, int[] values, CancellationToken ct)");
        s.AppendLine("    {");
        s.AppendLine("        var a = LoadAsync(path, ct);");
        s.AppendLine("        var b = Task.Run(() => values.Sum(), ct);");
        s.AppendLine("        await Task.WhenAll(a, b);");
        s.AppendLine("        var total = a.Result.Length + b.Result;");
        s.AppendLine("        total += Step1(values);");
        s.AppendLine("        for (var i = 0; i < values.Length; i++)");
        s.AppendLine("            total += values[i] % 7;");
        s.AppendLine("        if (_gate.Wait(0)) _gate.Release();");
        s.AppendLine("        await _gate.WaitAsync(ct);");
        s.AppendLine("        try { total += Settings.Length; } finally { _gate.Release(); }");
        s.AppendLine("        using var memory = new MemoryStream();");
        s.AppendLine("        memory.Write(new byte[] { 1, 2, 3 }, 0, 3);");
        s.AppendLine("        memory.Flush();");
        s.AppendLine("        Thread.Sleep(0);");
        if (index % 5 == 0)
        {
            s.AppendLine("        var text = File.ReadAllText(path);");
            s.AppendLine("        total += text.Length;");
        }

        if (index % 7 == 0)
            s.AppendLine("        Thread.Sleep(10);");
        if (index % 9 == 0)
            s.AppendLine("        total += LoadAsync(path, ct).Result.Length;");
        s.AppendLine("        return total;");
        s.AppendLine("    }");
        s.AppendLine();
        s.AppendLine("    public async Task<string> LoadAsync(string path, CancellationToken ct)");
        s.AppendLine("    {");
        s.AppendLine("        if (_cache.TryGetValue(path, out var cached))");
        s.AppendLine("            return cached;");
        s.AppendLine("        var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);");
        s.AppendLine("        _cache[path] = text;");
        s.AppendLine("        return text;");
        s.AppendLine("    }");
        s.AppendLine();
        s.AppendLine("    public Task ExportAsync(IEnumerable<string> rows, string target, CancellationToken ct) => Task.Run(() =>");
        s.AppendLine("    {");
        s.AppendLine("        var lines = rows.Select(r => r.Trim()).Where(r => r.Length > 0).ToList();");
        s.AppendLine(index % 4 == 0 ? "        File.WriteAllLines(target, lines);" : "        lines.Sort(StringComparer.Ordinal);");
        s.AppendLine("    }, ct);");
        s.AppendLine();
        s.AppendLine("    public async Task<int> ReadAsync(byte[] buffer, bool useAsync, CancellationToken ct)");
        s.AppendLine("    {");
        s.AppendLine("        if (useAsync)");
        s.AppendLine("            return await _stream.ReadAsync(buffer, 0, buffer.Length, ct);");
        s.AppendLine("        return _stream.Read(buffer, 0, buffer.Length);");
        s.AppendLine("    }");
        s.AppendLine();
        s.AppendLine("    public void StartWorker(int[] values)");
        s.AppendLine("    {");
        s.AppendLine("        var thread = new Thread(() => { var sum = 0L; foreach (var v in values) sum += v * (long)v; });");
        s.AppendLine("        thread.Start();");
        s.AppendLine("        Parallel.ForEach(values, v => { _ = v * v; });");
        s.AppendLine("    }");
        s.AppendLine();
        // The getter and the chain.
        s.AppendLine("    private string Settings");
        s.AppendLine("    {");
        s.AppendLine("        get");
        s.AppendLine("        {");
        s.AppendLine("            if (_settings == null)");
        s.AppendLine("                _settings = \"defaults\";");
        s.AppendLine("            return _settings;");
        s.AppendLine("        }");
        s.AppendLine("    }");
        s.AppendLine();
        for (var level = 1; level <= depth; level++)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"    private static int Step{level}(int[] values)");
            s.AppendLine("    {");
            s.AppendLine("        var acc = 0;");
            s.AppendLine("        foreach (var v in values)");
            s.AppendLine(CultureInfo.InvariantCulture, $"            acc += (v * {level + 3}) % 11;");
            if (level < depth)
                s.AppendLine(CultureInfo.InvariantCulture, $"        return acc + Step{level + 1}(values);");
            else if (blockingLeaf)
                s.AppendLine("        return acc + File.ReadAllText(\"leaf.txt\").Length;");
            else
                s.AppendLine("        return acc + Normalize(\"leaf\").Length;");
            s.AppendLine("    }");
            s.AppendLine();
        }

        s.AppendLine("    private static string Normalize(string text) => text.Trim().ToUpperInvariant();");
        s.AppendLine();
        s.AppendLine("    public static int Checksum(string text)");
        s.AppendLine("    {");
        s.AppendLine("        var hash = 17;");
        s.AppendLine("        foreach (var c in text)");
        s.AppendLine("            hash = (hash * 31) + c;");
        s.AppendLine("        return hash;");
        s.AppendLine("    }");
        s.AppendLine("}");
        return s.ToString();
    }
}
