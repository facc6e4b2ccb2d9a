using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace VoxCpm.Hub.Metrics;

/// <summary>
/// Publishes the engine's <see cref="Meter"/> (<c>VoxCpm.Engine.Scheduler</c>: queue, batch, steps, time to first
/// audio, RTF, outcomes) and the hub's (<see cref="HubMeters"/>) as Prometheus metrics under the instruments' own names. prometheus-net's built-in meter
/// adapter exported only the observable gauges of this meter here, so the bridge listens itself.
/// </summary>
internal sealed class EngineMetricsBridge : IDisposable
{
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.001, 2, 18);
    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];
    private static readonly double[] RatioBuckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Collector> _collectors = new(StringComparer.Ordinal);
    private readonly CollectorRegistry _registry;

    public EngineMetricsBridge(CollectorRegistry registry)
    {
        _registry = registry;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is VoxCpm.Engine.Scheduling.EngineMeters.Scheduler or HubMeters.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labelNames = new string[tags.Length];
        var labelValues = new string[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            labelNames[i] = tags[i].Key;
            labelValues[i] = tags[i].Value?.ToString() ?? "";
        }

        var collector = _collectors.GetOrAdd(instrument.Name, _ => Create(instrument, labelNames));
        switch (collector)
        {
            case Counter counter:
                counter.WithLabels(labelValues).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(labelValues).Observe(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(labelValues).Set(value);
                break;
        }
    }

    private Collector Create(Instrument instrument, string[] labels)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        string help = instrument.Description ?? instrument.Name;
        return instrument switch
        {
            Counter<long> or Counter<double> or Counter<int> => factory.CreateCounter(instrument.Name, help, labels),
            Histogram<double> or Histogram<long> or Histogram<int> => factory.CreateHistogram(instrument.Name, help, new HistogramConfiguration
            {
                LabelNames = labels,
                Buckets = instrument.Name.EndsWith("_seconds", StringComparison.Ordinal) ? SecondsBuckets
                    : instrument.Name.Contains("batch", StringComparison.Ordinal) ? BatchBuckets
                    : RatioBuckets,
            }),
            _ => factory.CreateGauge(instrument.Name, help, labels),
        };
    }
}
