using System.Threading.Channels;
using VoxCpm.Engine;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis.TextStreaming;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// Text-in streams (<see cref="TextStreamSession"/>): the text arrives while the audio is produced. Their pieces go
/// through the same checks and the same scheduler as every request; only the voice is resolved once for the whole
/// stream, and the stream has one history row.
/// </summary>
internal sealed partial class SynthesisService
{
    /// <summary>
    /// A transport's text stream (SignalR <c>SynthesizeTextStream</c>, raw <c>tts_stream_start</c>): refused while the
    /// hub drains, its options validated (the text comes later through <paramref name="text"/>; completing the channel
    /// ends the stream and what is left is spoken), its voice resolved once. Refusals are counted on
    /// <paramref name="scope"/> and thrown as <see cref="SynthesisRejectedException"/>; later failures (limits, idle,
    /// engine) end the events with a <see cref="FailedEvent"/>, and the outcome is counted when the last event passes.
    /// </summary>
    public Task<SynthesisRun> SubmitTextStreamAsync(SynthesisRequest request, SynthesisContext context, RequestScope scope, ChannelReader<TextStreamInput> text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(text);
        return CountRefusalsAsync(scope, async () =>
        {
            var voice = await PrepareTextStreamAsync(request, cancellationToken);
            var synthesisId = context.SynthesisId ?? Guid.CreateVersion7();
            // The text and its pieces reach history just before the stream's Completed or Failed does.
            var session = new TextStreamSession(this, voice, context, textStreamOptions.Value, textStreamLogger, (spoken, pieces) => recorder.TextStreamed(synthesisId, spoken, pieces), cancellationToken);
            // The seed actually used, so that the stream's first piece can be re-run; the text is recorded as it arrives.
            recorder.Accepted(synthesisId, request with { Text = "", Seed = voice.Template.Seed }, context, DateTimeOffset.UtcNow);
            var events = RunTap.Start(session.Events, recorder, scope, synthesisId, voice.Engine.SampleRate);
            session.Start(text);
            return new SynthesisRun(synthesisId, context.RequestId, voice.Engine.SampleRate, events);
        });
    }

    /// <summary>Validates a text stream's options, checks the model and resolves (fetches, encodes) its voice once.</summary>
    private async Task<TextStreamVoice> PrepareTextStreamAsync(SynthesisRequest options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode != SynthesisMode.Streaming)
        {
            throw new SynthesisRejectedException(ErrorCodes.InvalidRequest, "mode must be streaming for a text stream: its audio is sent while the text arrives", "mode");
        }

        // The text arrives later, piece by piece (each checked in SubmitPiece); every other field is checked now.
        // The seed is drawn once for the whole stream, like any request's (Accept), so that history can re-run it.
        var standIn = options with { Text = ".", Seed = options.Seed ?? RandomSeed.Next() };
        if (SynthesisRequestValidator.Validate(standIn, _limits) is { } invalid)
        {
            throw SynthesisRejectedException.From(invalid);
        }

        var engine = ReadyEngine();
        RefuseInputsTheModelLacks(engine, options);
        var (prompt, reference) = await ResolveVoiceInputsAsync(engine, options, cancellationToken);
        return new TextStreamVoice(engine, options, ToGenerationRequest(standIn, prompt, reference));
    }

    /// <summary>
    /// Submits one piece of a text stream (<paramref name="generation"/>'s text is the phrase alone; the stream's voice
    /// description goes ahead of every piece); refusals throw <see cref="SynthesisRejectedException"/> like <see cref="StartAsync"/>.
    /// </summary>
    internal SynthesisTicket SubmitPiece(TextStreamVoice voice, GenerationRequest generation, SynthesisContext context, CancellationToken cancellationToken)
    {
        if (SynthesisRequestValidator.Validate(voice.Options with { Text = generation.Text }, _limits) is { } invalid)
        {
            throw SynthesisRejectedException.From(invalid);
        }

        return Submit(voice.Engine, generation with { Text = SpokenText(voice.Options, generation.Text) }, context, cancellationToken);
    }
}

/// <summary>What every piece of one text stream shares: the engine, the client's options and the generation settings with the resolved voice (null prompt = the model's own voice, continued piece to piece).</summary>
internal sealed record TextStreamVoice(VoxCpmEngine Engine, SynthesisRequest Options, GenerationRequest Template);
