using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Metrics;

/// <summary>
/// The hub's own meter (<c>VoxCpm.Hub</c>), published on <c>/metrics</c> by <see cref="EngineMetricsBridge"/>:
/// requests by entry point and outcome, errors by code, open connections, model load time and the device in use.
/// Names follow Prometheus conventions; docs/configuration.md lists them and docs/grafana-dashboard.json plots them.
/// </summary>
internal sealed class HubMeters
{
    public const string Name = "VoxCpm.Hub";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;

    public HubMeters(IMeterFactory meters, OpenConnections connections, IModelLifecycle model, IEngineAccessor engines, IOptions<ModelOptions> modelOptions)
    {
        var meter = meters.Create(Name);
        _requests = meter.CreateCounter<long>("voxcpm_requests_total", description: "Synthesis requests by entry point and outcome (completed, failed, cancelled, rejected)");
        _errors = meter.CreateCounter<long>("voxcpm_errors_total", description: "Errors sent to clients, by entry point and error code");
        meter.CreateObservableGauge(
            "voxcpm_open_connections",
            () => new[]
            {
                new Measurement<int>(connections.RawWebSocket, new KeyValuePair<string, object?>("transport", "raw_ws")),
                new Measurement<int>(connections.SignalR, new KeyValuePair<string, object?>("transport", "signalr")),
            },
            description: "Open raw /tts WebSocket and SignalR connections");
        meter.CreateObservableGauge(
            "voxcpm_model_load_seconds",
            () => model.State.LoadTime is { } load ? [new Measurement<double>(load.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            unit: "s",
            description: "Seconds the model took to load and warm up (download excluded)");
        meter.CreateObservableGauge(
            "voxcpm_model_info",
            () => engines.Engine is { } engine
                ? [new Measurement<int>(1, new KeyValuePair<string, object?>("model", modelOptions.Value.ModelName), new KeyValuePair<string, object?>("device", engine.Device.ToString().ToLowerInvariant()))]
                : Array.Empty<Measurement<int>>(),
            description: "1 for the loaded model, labelled with its name and the ONNX Runtime device in use");
    }

    /// <summary>The label value of an entry point.</summary>
    public static string Label(EntryPoint origin) => origin switch
    {
        EntryPoint.RawWebSocket => "raw_ws",
        EntryPoint.SignalR => "signalr",
        EntryPoint.Http => "http",
        _ => "job",
    };

    /// <summary>One request's outcome; a code other than <c>null</c> is also counted as an error.</summary>
    public void Finished(EntryPoint origin, string outcome, string? code)
    {
        var entryPoint = new KeyValuePair<string, object?>("entry_point", Label(origin));
        _requests.Add(1, entryPoint, new KeyValuePair<string, object?>("outcome", outcome));
        if (code is not null)
        {
            Error(origin, code);
        }
    }

    /// <summary>An error sent outside any request's outcome (raw protocol errors: invalid JSON, unknown type…).</summary>
    public void Error(EntryPoint origin, string code) =>
        _errors.Add(1, new KeyValuePair<string, object?>("entry_point", Label(origin)), new KeyValuePair<string, object?>("code", code));

    /// <summary>The outcome label for an error code: <c>cancelled</c> for cancellations, else <c>failed</c>.</summary>
    public static string OutcomeOf(string code) => code == ErrorCodes.Cancelled ? Outcomes.Cancelled : Outcomes.Failed;
}

/// <summary>The <c>outcome</c> label values of <c>voxcpm_requests_total</c>.</summary>
internal static class Outcomes
{
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Rejected = "rejected";
}
