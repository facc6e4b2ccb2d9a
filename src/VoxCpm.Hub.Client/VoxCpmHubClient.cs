using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.Client;

/// <summary>
/// A connection to a VoxCpm.Hub server's SignalR hub (<c>/hubs/tts</c>). Thread-safe: many syntheses may stream at
/// once over one client. Streams in progress end with an error when the connection drops; with automatic reconnect
/// (the default) later calls work again once <see cref="State"/> is back to Connected.
/// </summary>
public sealed partial class VoxCpmHubClient : IAsyncDisposable
{
    private readonly HubConnection _connection;

    /// <summary>Creates a client for the server at <paramref name="serverUrl"/> (e.g. <c>http://127.0.0.1:9300</c>); call <see cref="StartAsync"/> next.</summary>
    public VoxCpmHubClient(Uri serverUrl, VoxCpmHubClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        options ??= new VoxCpmHubClientOptions();
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(serverUrl, TtsHubMethods.Route), http => options.ConfigureHttpConnection?.Invoke(http));
        builder = options.Protocol == HubProtocol.MessagePack
            ? builder.AddMessagePackProtocol()
            : builder.AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        if (options.AutomaticReconnect)
        {
            builder = builder.WithAutomaticReconnect();
        }

        _connection = builder.Build();
        _connection.On<JobUpdate>(TtsHubMethods.JobUpdated, update => JobUpdated?.Invoke(update));
        _connection.On<ServerStatus>(TtsHubMethods.StatusChanged, status =>
        {
            LastStatus = status;
            StatusChanged?.Invoke(status);
        });
        _connection.Reconnecting += error => InvokeHandlerAsync(Reconnecting, error);
        _connection.Reconnected += _ => InvokeHandlerAsync(Reconnected, null);
        _connection.Closed += error => InvokeHandlerAsync(Closed, error);
    }

    /// <summary>A watched job changed state (see <see cref="WatchJobAsync"/>; the submitter of a job watches it automatically).</summary>
    public event Action<JobUpdate>? JobUpdated;

    /// <summary>The server's load or model state changed (at most twice a second).</summary>
    public event Action<ServerStatus>? StatusChanged;

    /// <summary>The connection was lost and the client is reconnecting.</summary>
    public event Action<Exception?>? Reconnecting;

    /// <summary>The connection is back.</summary>
    public event Action<Exception?>? Reconnected;

    /// <summary>The connection closed for good (no reconnect, or reconnecting gave up).</summary>
    public event Action<Exception?>? Closed;

    /// <summary>Disconnected, Connecting, Connected or Reconnecting.</summary>
    public HubConnectionState State => _connection.State;

    /// <summary>Connects to the hub.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _connection.StartAsync(cancellationToken);

    /// <summary>Disconnects; streams in progress are cancelled on the server.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _connection.StopAsync(cancellationToken);

    /// <summary>
    /// Synthesizes <paramref name="request"/>: enumerate the result for the audio chunks as they are generated; then read
    /// <see cref="SynthesisSession.Completion"/>. Cancelling <paramref name="cancellationToken"/> (or the enumeration's token)
    /// stops the synthesis on the server within one decoding step.
    /// </summary>
    /// <param name="request">What to say and how; validated by the server, which names the field and the limit of any refusal.</param>
    /// <param name="cancellationToken">Stops the synthesis.</param>
    public SynthesisSession SynthesizeAsync(SynthesisRequest request, CancellationToken cancellationToken = default) =>
        SynthesizeAsync(request, progress: null, cancellationToken);

    /// <inheritdoc cref="SynthesizeAsync(SynthesisRequest, CancellationToken)"/>
    /// <param name="request">What to say and how.</param>
    /// <param name="progress">Receives the queued, started and progress items.</param>
    /// <param name="cancellationToken">Stops the synthesis.</param>
    public SynthesisSession SynthesizeAsync(SynthesisRequest request, IProgress<SynthesisStreamItem>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new SynthesisSession(_connection, request, progress, cancellationToken);
    }

    /// <summary>The model, device, model state and current load of the server.</summary>
    public Task<ServerStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<ServerStatus>(TtsHubMethods.GetStatus, cancellationToken);

    /// <summary>Subscribes to <see cref="JobUpdated"/> for a background job (non-streaming requests).</summary>
    public Task WatchJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync(TtsHubMethods.WatchJob, jobId, cancellationToken);

    /// <summary>Disconnects and releases the connection.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static Task InvokeHandlerAsync(Action<Exception?>? handler, Exception? error)
    {
        handler?.Invoke(error);
        return Task.CompletedTask;
    }
}
