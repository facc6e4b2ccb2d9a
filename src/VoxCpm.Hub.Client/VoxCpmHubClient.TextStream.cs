using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.Client;

/// <summary>Text-in streaming: speak text while it is still being written (a language model's output).</summary>
public sealed partial class VoxCpmHubClient
{
    /// <summary>The server's status as last broadcast (sent once on connect, then on every change); null before the first.</summary>
    public ServerStatus? LastStatus { get; private set; }

    /// <summary>
    /// Speaks <paramref name="text"/> as it arrives: the server cuts it into phrases (sentence ends, then clause marks,
    /// at most 120 characters), starts on the first phrase as soon as it is complete and continues the voice from phrase
    /// to phrase. Enumerate the result for one gap-free sequence of audio chunks; the stream ends once
    /// <paramref name="text"/> has ended and everything is spoken. A piece equal to <see cref="TtsHubMethods.TextStreamFlush"/>
    /// speaks the pending text at once.
    /// </summary>
    /// <param name="text">The text, a few words at a time.</param>
    /// <param name="options">Voice and sampler settings (<see cref="SynthesisRequest.Text"/>, when set, is spoken first); streaming only.</param>
    /// <param name="progress">Receives the queued, started and progress items.</param>
    /// <param name="cancellationToken">Stops the stream on the server.</param>
    public SynthesisSession SynthesizeTextStreamAsync(IAsyncEnumerable<string> text, SynthesisRequest? options = null, IProgress<SynthesisStreamItem>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SynthesisSession(_connection, options ?? new SynthesisRequest(), progress, cancellationToken, text);
    }
}
