using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace ConcurrencyAnalyzers.Runtime.Tests;

/// <summary>
/// A monitor that attaches late, as <c>dotnet-counters</c> does to a running app: it reads the current queue length
/// and worker counts of one executor each time it collects.
/// </summary>
internal sealed class GaugeReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _executor;
    private readonly Dictionary<string, long> _last = new();

    public GaugeReader(string executor)
    {
        _executor = executor;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ConcurrencyAnalyzers.Runtime" && instrument.Name is "concurrency.executor.queue.length" or "concurrency.executor.worker.count")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? name = null, state = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "concurrency.executor.name")
                    name = tag.Value as string;
                if (tag.Key == "state")
                    state = tag.Value as string;
            }

            if (name == _executor)
                _last[instrument.Name == "concurrency.executor.queue.length" ? "queued" : state ?? "?"] = value;
        });
        _listener.Start();
    }

    /// <summary>Collects once; returns the queue length and the busy and idle worker counts (-1 when not reported).</summary>
    public (long Queued, long Busy, long Idle) Read()
    {
        lock (_last)
        {
            _last.Clear();
            _listener.RecordObservableInstruments();
            return (_last.GetValueOrDefault("queued", -1), _last.GetValueOrDefault("busy", -1), _last.GetValueOrDefault("idle", -1));
        }
    }

    public void Dispose() => _listener.Dispose();
}
