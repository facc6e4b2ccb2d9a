using System.Threading.Channels;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

/// <summary>Starts <see cref="TextStreamSession"/>s on the one synthesis path, with one history row per stream.</summary>
internal sealed class TextStreamSynthesis(SynthesisService synthesis, IOptions<TextStreamOptions> options, ILogger<TextStreamSession> logger) : ITextStreamSynthesis
{
    public async Task<SynthesisRun> StartAsync(SynthesisRequest request, SynthesisContext context, ChannelReader<TextStreamInput> text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(text);
        var voice = await synthesis.PrepareTextStreamAsync(request, cancellationToken);
        var synthesisId = context.SynthesisId ?? Guid.CreateVersion7();
        var recorder = synthesis.Recorder;
        // The text and its pieces reach history just before the stream's Completed or Failed does.
        var session = new TextStreamSession(synthesis, voice, context, options.Value, logger, (text, pieces) => recorder.TextStreamed(synthesisId, text, pieces), cancellationToken);
        var events = session.Events;
        // The seed actually used, so that the stream's first piece can be re-run; the text is recorded as it arrives.
        recorder.Accepted(synthesisId, request with { Text = "", Seed = voice.Template.Seed }, context, DateTimeOffset.UtcNow);
        events = RunTap.Start(events, recorder, scope: null, synthesisId, voice.Engine.SampleRate);

        session.Start(text);
        return new SynthesisRun(synthesisId, context.RequestId, voice.Engine.SampleRate, events);
    }
}
