using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.Shutdown;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// Where each transport begins a request (raw <c>/tts</c> per request_id, SignalR per stream, HTTP per request, jobs
/// per run): the log scope that puts its ids on every line, its place in the shutdown drain, and its outcome on
/// <c>/metrics</c>.
/// </summary>
internal sealed class RequestTracking(ShutdownDrain drain, HubMeters meters)
{
    private static readonly Func<ILogger, string, string, IDisposable?> s_scope =
        LoggerMessage.DefineScope<string, string>("RequestId:{RequestId} EntryPoint:{EntryPoint}");

    private static readonly Func<ILogger, Guid, IDisposable?> s_synthesisScope =
        LoggerMessage.DefineScope<Guid>("SynthesisId:{SynthesisId}");

    public HubMeters Meters => meters;

    /// <summary>
    /// Begins a transport's request. While the hub drains the request is refused (<see cref="RequestScope.ThrowIfRefused"/>);
    /// jobs are not drained here (Hangfire hands them back), so they are never refused.
    /// </summary>
    public RequestScope Begin(ILogger logger, EntryPoint origin, string requestId, Guid? synthesisId = null)
    {
        var scope = s_scope(logger, requestId, HubMeters.Label(origin));
        var synthesis = synthesisId is { } id ? s_synthesisScope(logger, id) : null;
        var lease = origin == EntryPoint.Job ? NoLease.Instance : drain.TryEnter();
        return new RequestScope(logger, origin, meters, lease, scope, synthesis, origin == EntryPoint.Job ? CancellationToken.None : drain.Deadline);
    }

    /// <summary>Adds the synthesis id to the log scope once the request has one.</summary>
    internal static IDisposable? SynthesisScope(ILogger logger, Guid synthesisId) => s_synthesisScope(logger, synthesisId);

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}

/// <summary>One request as its transport sees it; dispose it after the request's final message has been queued.</summary>
internal sealed class RequestScope(
    ILogger logger,
    EntryPoint origin,
    HubMeters meters,
    IDisposable? lease,
    IDisposable? scope,
    IDisposable? synthesisScope,
    CancellationToken deadline) : IDisposable
{
    private IDisposable? _synthesisScope = synthesisScope;
    private int _finished;

    /// <summary>Fires when the shutdown deadline cancels what is still running.</summary>
    public CancellationToken Deadline => deadline;

    public void ThrowIfRefused()
    {
        if (lease is null)
        {
            Rejected(ShutdownDrain.Refusal().Code);
            throw ShutdownDrain.Refusal();
        }
    }

    /// <summary>Puts the synthesis id on the following log lines (those of this async flow).</summary>
    public void Accepted(Guid synthesisId) => _synthesisScope ??= RequestTracking.SynthesisScope(logger, synthesisId);

    public void Completed() => Finish(Outcomes.Completed, null);

    public void Rejected(string code) => Finish(Outcomes.Rejected, code);

    /// <summary>Failed or cancelled, by the error code the client is sent.</summary>
    public void Ended(string code) => Finish(HubMeters.OutcomeOf(code), code);

    public void Dispose()
    {
        lease?.Dispose();
        _synthesisScope?.Dispose();
        scope?.Dispose();
    }

    private void Finish(string outcome, string? code)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
        {
            meters.Finished(origin, outcome, code);
        }
    }
}
