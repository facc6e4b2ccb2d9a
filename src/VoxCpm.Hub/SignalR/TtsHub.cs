using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Scaling;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// The SignalR hub at <see cref="TtsHubMethods.Route"/> (both ports; MessagePack or JSON). Same request model,
/// validator and synthesis path as raw <c>/tts</c>; refusals are <see cref="HubException"/>s naming the field and the
/// limit, and the connection stays open. See docs/signalr.md.
/// </summary>
internal sealed partial class TtsHub(
    SynthesisService synthesis,
    ServerStatusSource status,
    JobWatchers watchers,
    RequestTracking tracking,
    OpenConnections connections,
    NodeIdentity node,
    ILogger<TtsHub> logger) : Hub<ITtsHubClient>
{
    /// <summary>A new connection learns the current status at once; later changes are broadcast.</summary>
    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, node.Group);
        await Clients.Caller.StatusChanged(status.Current());
        await base.OnConnectedAsync();
        // Counted last: SignalR calls OnDisconnectedAsync only for connections whose OnConnectedAsync succeeded.
        connections.SignalRConnected();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.SignalRDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Streams one synthesis: queued, started, audio/progress items, then one complete or error item.</summary>
    [HubMethodName(TtsHubMethods.Synthesize)]
    public IAsyncEnumerable<SynthesisStreamItem> SynthesizeAsync(SynthesisArgument argument, CancellationToken cancellationToken) =>
        StreamAsync(argument, synthesis.SubmitAsync, cancellationToken);

    /// <summary>
    /// The one way a stream method starts: an unbindable argument becomes an error item naming the field; then, under
    /// the request's scope (log scope, drain, outcome on /metrics), <paramref name="submit"/> starts the synthesis, and
    /// its refusal is the HubException clients see. A durable job is followed and answered with <c>job_accepted</c>;
    /// a run streams its items.
    /// </summary>
    private async IAsyncEnumerable<SynthesisStreamItem> StreamAsync(
        SynthesisArgument? argument,
        Func<SynthesisRequest, SynthesisContext, RequestScope, CancellationToken, Task<SynthesisStart>> submit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N");
        if (argument?.Request is not { } request)
        {
            var problem = argument?.Problem ?? new Synthesis.Binding.RequestFieldException("request", "the request is required");
            LogUnbindableArgument(logger, Context.ConnectionId, problem.Field, problem.Message);
            yield return new SynthesisStreamItem
            {
                Kind = StreamItemKind.Error,
                RequestId = requestId,
                Error = new ErrorInfo { Code = ErrorCodes.InvalidRequest, Message = problem.Message, Field = problem.Field },
            };
            yield break;
        }

        // The log scope holds until the first item is yielded: an iterator resumes in its consumer's context.
        using var scope = tracking.Begin(logger, EntryPoint.SignalR, requestId);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Deadline);
        var context = new SynthesisContext(EntryPoint.SignalR, requestId, Context.UserIdentifier ?? Context.ConnectionId);
        var start = await Refusals.GuardAsync(() => submit(request, context, scope, cancel.Token));
        scope.Accepted(start.SynthesisId);
        if (start.Job is { } ticket)
        {
            // A non-streaming request is a durable job: this connection watches it, and the stream ends here.
            await Groups.AddToGroupAsync(Context.ConnectionId, JobWatchers.Group(ticket.JobId), cancellationToken);
            await watchers.FollowAsync(ticket.JobId, Context.ConnectionId, cancellationToken);
            yield return new SynthesisStreamItem { Kind = StreamItemKind.JobAccepted, RequestId = requestId, JobId = ticket.JobId };
            yield break;
        }

        LogStreamStarted(logger, requestId, Context.ConnectionId);
        await foreach (var item in StreamItems.FromRunAsync(start.Run!, request))
        {
            yield return item;
        }
    }

    /// <summary>The model, device, state and load of the server.</summary>
    [HubMethodName(TtsHubMethods.GetStatus)]
    public ServerStatus GetStatus() => status.Current();

    /// <summary>Subscribes this connection to <see cref="ITtsHubClient.JobUpdated"/> for the job.</summary>
    [HubMethodName(TtsHubMethods.WatchJob)]
    public async Task WatchJobAsync(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId) || jobId.Length > SynthesisDefaults.MaxRequestIdLength)
        {
            throw new HubException($"[invalid_request] jobId must be 1 to {SynthesisDefaults.MaxRequestIdLength} characters (field: jobId)");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, JobWatchers.Group(jobId));
        await watchers.FollowAsync(jobId, Context.ConnectionId, Context.ConnectionAborted);
    }

    [LoggerMessage(EventId = 4002, EventName = "HubArgumentUnbindable", Level = LogLevel.Warning, Message = "Synthesize from connection {ConnectionId} refused: field {Field} cannot be bound: {Problem}")]
    private static partial void LogUnbindableArgument(ILogger logger, string connectionId, string field, string problem);

    [LoggerMessage(EventId = 4000, EventName = "HubStreamStarted", Level = LogLevel.Debug, Message = "SignalR synthesis {RequestId} started for connection {ConnectionId}")]
    private static partial void LogStreamStarted(ILogger logger, string requestId, string connectionId);
}
