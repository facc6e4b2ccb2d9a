using System.Threading.Channels;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

/// <summary>
/// Speaks text while it is still being written: the transports (SignalR, raw <c>/tts</c>) hand over the request's
/// options and a channel of text; the run's events are those of one synthesis (queued, started, gap-free audio,
/// one completed or failed) with one history row for the whole stream.
/// </summary>
internal interface ITextStreamSynthesis
{
    /// <summary>
    /// Validates the options (the text comes later and is ignored here), resolves the voice once for the whole stream
    /// and starts reading <paramref name="text"/>; completing the channel ends the stream (what is left is spoken).
    /// Refusals throw <see cref="SynthesisRejectedException"/>; later failures (limits, idle, engine) end the events
    /// with a <see cref="VoxCpm.Engine.Scheduling.FailedEvent"/>. Cancelling the token stops the stream.
    /// </summary>
    Task<SynthesisRun> StartAsync(SynthesisRequest options, SynthesisContext context, ChannelReader<TextStreamInput> text, CancellationToken cancellationToken);
}
