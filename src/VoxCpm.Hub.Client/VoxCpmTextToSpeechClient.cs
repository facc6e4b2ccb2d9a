using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Hub.Client;

/// <summary>
/// <see cref="ITextToSpeechClient"/> (Microsoft.Extensions.AI) over a <see cref="VoxCpmHubClient"/>: whole audio as one
/// WAV <see cref="DataContent"/>, streamed audio as PCM16 <see cref="DataContent"/> updates, and text-in streaming
/// (<see cref="GetStreamingAudioAsync(IAsyncEnumerable{string}, TextToSpeechOptions?, CancellationToken)"/>).
/// Options map to the hub's parameters (<see cref="VoxCpmSpeechOptions"/>); the model id and sample rate are the server's.
/// </summary>
public sealed class VoxCpmTextToSpeechClient : ITextToSpeechClient, IAsyncDisposable
{
    /// <summary>Media type of streamed chunks: raw signed 16-bit little-endian mono PCM at <see cref="VoxCpmSpeechOptions.SampleRateProperty"/>.</summary>
    public const string PcmMediaType = "audio/pcm";

    /// <summary>Media type of whole results: a PCM16 mono WAV file.</summary>
    public const string WavMediaType = "audio/wav";

    private readonly VoxCpmHubClient _hub;
    private readonly Uri? _serverUrl;
    private readonly bool _ownsHub;

    /// <summary>Speaks through <paramref name="hub"/>, which the caller starts and disposes.</summary>
    /// <param name="hub">A started hub client.</param>
    /// <param name="serverUrl">The server's address, for <see cref="TextToSpeechClientMetadata.ProviderUri"/>.</param>
    public VoxCpmTextToSpeechClient(VoxCpmHubClient hub, Uri? serverUrl = null)
        : this(hub, serverUrl, ownsHub: false)
    {
    }

    private VoxCpmTextToSpeechClient(VoxCpmHubClient hub, Uri? serverUrl, bool ownsHub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _hub = hub;
        _serverUrl = serverUrl;
        _ownsHub = ownsHub;
    }

    /// <summary>Connects to the server at <paramref name="serverUrl"/> and returns a client that owns (and disposes) its connection.</summary>
    /// <param name="serverUrl">The server, e.g. <c>http://127.0.0.1:9300</c>.</param>
    /// <param name="options">Connection options.</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    public static async Task<VoxCpmTextToSpeechClient> ConnectAsync(Uri serverUrl, VoxCpmHubClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var hub = new VoxCpmHubClient(serverUrl, options);
        try
        {
            await hub.StartAsync(cancellationToken);
            return new VoxCpmTextToSpeechClient(hub, serverUrl, ownsHub: true);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    /// <summary>Speaks <paramref name="text"/> and returns the whole audio as one WAV <see cref="DataContent"/>.</summary>
    /// <param name="text">What to say.</param>
    /// <param name="options">Voice, format (<c>wav</c> or <c>pcm</c>) and the hub's parameters.</param>
    /// <param name="cancellationToken">Stops the synthesis.</param>
    public async Task<TextToSpeechResponse> GetAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var wav = VoxCpmSpeechOptions.Format(options, defaultFormat: "wav") == "wav";
        var session = _hub.SynthesizeAsync(VoxCpmSpeechOptions.ToRequest(text, options), cancellationToken);
        using var pcm = new MemoryStream();
        var sampleRate = 0;
        await foreach (var chunk in session.WithCancellation(cancellationToken))
        {
            sampleRate = chunk.SampleRate;
            pcm.Write(chunk.Pcm16.Span);
        }

        sampleRate = session.Completion?.SampleRate ?? sampleRate;
        var bytes = wav ? Wav(pcm, sampleRate) : pcm.ToArray();
        return new TextToSpeechResponse([new DataContent(bytes, wav ? WavMediaType : PcmMediaType)])
        {
            ResponseId = session.RequestId,
            ModelId = _hub.LastStatus?.Model,
            RawRepresentation = session.Completion,
            AdditionalProperties = Properties(sampleRate, session.Completion),
        };
    }

    /// <summary>Speaks <paramref name="text"/>, yielding PCM16 audio updates as they are generated, then a closing update.</summary>
    /// <param name="text">What to say.</param>
    /// <param name="options">Voice and the hub's parameters; the format is <c>pcm</c>.</param>
    /// <param name="cancellationToken">Stops the synthesis.</param>
    public IAsyncEnumerable<TextToSpeechResponseUpdate> GetStreamingAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        VoxCpmSpeechOptions.Format(options, defaultFormat: "pcm", streaming: true);
        return UpdatesAsync(_hub.SynthesizeAsync(VoxCpmSpeechOptions.ToRequest(text, options), cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Text-in streaming: speaks <paramref name="text"/> while it is being written (see
    /// <see cref="VoxCpmHubClient.SynthesizeTextStreamAsync"/>), yielding PCM16 audio updates in one gap-free sequence.
    /// </summary>
    /// <param name="text">The text, a few words at a time (a language model's output).</param>
    /// <param name="options">Voice and the hub's parameters; the format is <c>pcm</c>.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    public IAsyncEnumerable<TextToSpeechResponseUpdate> GetStreamingAudioAsync(IAsyncEnumerable<string> text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        VoxCpmSpeechOptions.Format(options, defaultFormat: "pcm", streaming: true);
        return UpdatesAsync(_hub.SynthesizeTextStreamAsync(text, VoxCpmSpeechOptions.ToRequest("", options), cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>Returns <see cref="TextToSpeechClientMetadata"/>, the <see cref="VoxCpmHubClient"/>, or this client.</summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">Not used.</param>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(TextToSpeechClientMetadata))
        {
            return new TextToSpeechClientMetadata("voxcpm-hub", _serverUrl, _hub.LastStatus?.Model);
        }

        return serviceType.IsInstanceOfType(_hub) ? _hub : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Disposes the connection when this client opened it (<see cref="ConnectAsync"/>); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        if (_ownsHub)
        {
            // ITextToSpeechClient is IDisposable only; the connection's close does not need the caller's context.
#pragma warning disable VSTHRD002
            Task.Run(() => _hub.DisposeAsync().AsTask()).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
        }
    }

    /// <summary>Disposes the connection when this client opened it (<see cref="ConnectAsync"/>).</summary>
    public ValueTask DisposeAsync() => _ownsHub ? _hub.DisposeAsync() : ValueTask.CompletedTask;

    private async IAsyncEnumerable<TextToSpeechResponseUpdate> UpdatesAsync(SynthesisSession session, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = _hub.LastStatus?.Model;
        var sampleRate = 0;
        await foreach (var chunk in session.WithCancellation(cancellationToken))
        {
            sampleRate = chunk.SampleRate;
            yield return new TextToSpeechResponseUpdate([new DataContent(chunk.Pcm16, PcmMediaType)])
            {
                Kind = TextToSpeechResponseUpdateKind.AudioUpdating,
                ResponseId = chunk.RequestId,
                ModelId = model,
                RawRepresentation = chunk,
                AdditionalProperties = Properties(chunk.SampleRate, null),
            };
        }

        yield return new TextToSpeechResponseUpdate([])
        {
            Kind = TextToSpeechResponseUpdateKind.SessionClose,
            ResponseId = session.RequestId,
            ModelId = model,
            RawRepresentation = session.Completion,
            AdditionalProperties = Properties(session.Completion?.SampleRate ?? sampleRate, session.Completion),
        };
    }

    private static byte[] Wav(MemoryStream pcm, int sampleRate)
    {
        var bytes = new byte[WavWriter.HeaderSize + pcm.Length];
        WavWriter.WriteHeader(bytes, sampleRate, pcm.Length / 2);
        pcm.GetBuffer().AsSpan(0, (int)pcm.Length).CopyTo(bytes.AsSpan(WavWriter.HeaderSize));
        return bytes;
    }

    private static AdditionalPropertiesDictionary Properties(int sampleRate, Contracts.Hub.SynthesisCompletion? completion)
    {
        var properties = new AdditionalPropertiesDictionary { [VoxCpmSpeechOptions.SampleRateProperty] = sampleRate };
        if (completion is not null)
        {
            properties["duration"] = completion.Duration;
            properties["segments"] = completion.Segments;
            properties["synthesis_id"] = completion.SynthesisId?.ToString("D", CultureInfo.InvariantCulture);
        }

        return properties;
    }
}
