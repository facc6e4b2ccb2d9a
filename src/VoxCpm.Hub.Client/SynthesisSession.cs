using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR.Client;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.Client;

/// <summary>
/// One synthesis, as the audio chunks it yields when enumerated (once). After the enumeration ends, <see cref="Completion"/>
/// holds the final figures; while it runs, <see cref="LastProgress"/> and the optional progress callback show how far it is.
/// </summary>
public sealed class SynthesisSession : IAsyncEnumerable<AudioChunk>
{
    private readonly HubConnection _connection;
    private readonly SynthesisRequest _request;
    private readonly IProgress<SynthesisStreamItem>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly IAsyncEnumerable<string>? _text;
    private int _enumerated;

    internal SynthesisSession(HubConnection connection, SynthesisRequest request, IProgress<SynthesisStreamItem>? progress, CancellationToken cancellationToken, IAsyncEnumerable<string>? text = null)
    {
        _text = text;
        _connection = connection;
        _request = request;
        _progress = progress;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The server's id of this synthesis, once the first item arrived.</summary>
    public string? RequestId { get; private set; }

    /// <summary>The latest queued, started or progress item.</summary>
    public SynthesisStreamItem? LastProgress { get; private set; }

    /// <summary>The final figures (duration, samples, chunks, timings, history id), once the stream completed.</summary>
    public SynthesisCompletion? Completion { get; private set; }

    /// <summary>For a non-streaming request run as a background job: its id (the stream then ends without audio; see <see cref="VoxCpmHubClient.JobUpdated"/>).</summary>
    public string? JobId { get; private set; }

    /// <summary>Starts the synthesis and yields its audio chunks in order.</summary>
    /// <exception cref="Microsoft.AspNetCore.SignalR.HubException">The server refused the request; the message names the field and the limit.</exception>
    /// <exception cref="SynthesisFailedException">The synthesis failed or was cancelled after it was accepted.</exception>
    public IAsyncEnumerator<AudioChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A synthesis stream can be enumerated only once; call SynthesizeAsync again for another synthesis.");
        }

        return ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    private async IAsyncEnumerable<AudioChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
        var items = _text is null
            ? _connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, _request, linked.Token)
            : _connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.SynthesizeTextStream, _request, _text, linked.Token);
        await foreach (var item in items.WithCancellation(linked.Token))
        {
            RequestId ??= item.RequestId;
            switch (item.Kind)
            {
                case StreamItemKind.Audio:
                    yield return new AudioChunk(item.RequestId, item.Sequence ?? 0, item.SampleRate ?? 0, item.Audio ?? [], item.Step ?? 0);
                    break;
                case StreamItemKind.Complete:
                    Completion = item.Summary;
                    break;
                case StreamItemKind.JobAccepted:
                    JobId = item.JobId;
                    break;
                case StreamItemKind.Error:
                    var error = item.Error ?? new ErrorInfo();
                    throw new SynthesisFailedException(error.Code, error.Message, error.Field);
                default:
                    LastProgress = item;
                    _progress?.Report(item);
                    break;
            }
        }
    }
}
