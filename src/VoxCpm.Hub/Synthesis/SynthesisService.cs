using Microsoft.Extensions.Options;
using VoxCpm.Engine;
using VoxCpm.Hub.Audio;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Synthesis.PromptAudio;
using VoxCpm.Hub.Voices;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// The one synthesis path: validate → model ready → voice → <see cref="GenerationRequest"/> → the engine's scheduler,
/// with history recorded off the audio path. Every transport (raw /tts, SignalR, HTTP, jobs) calls this.
/// </summary>
internal sealed partial class SynthesisService(
    IModelLifecycle model,
    IEngineAccessor engines,
    PromptAudioFetcher promptAudio,
    IOptions<SynthesisOptions> options,
    IServiceProvider services,
    ILogger<SynthesisService> logger) : ISynthesisService
{
    private readonly SynthesisLimits _limits = new(options.Value.MaxTextLength);

    // Engineer C's services land on another branch; until they are registered these stay null and the
    // corresponding features say so (voice_id) or are skipped (history).
    private readonly IVoiceStore? _voices = services.GetService<IVoiceStore>();
    private readonly ISynthesisRecorder? _recorder = services.GetService<ISynthesisRecorder>();

    public SynthesisLimits Limits => _limits;

    public async Task<SynthesisRun> StartAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (SynthesisRequestValidator.Validate(request, _limits) is { } invalid)
        {
            throw SynthesisRejectedException.From(invalid);
        }

        var engine = ReadyEngine();
        var prompt = await ResolveVoiceAsync(engine, request, cancellationToken);
        var generation = ToGenerationRequest(request, prompt);
        var synthesisId = context.SynthesisId ?? Guid.CreateVersion7();

        SynthesisTicket ticket;
        try
        {
            ticket = engine.Scheduler.Submit(generation, cancellationToken);
        }
        catch (SchedulerBusyException e)
        {
            LogBusy(logger, context.RequestId, context.Origin);
            throw new SynthesisRejectedException(ErrorCodes.Busy, e.Message);
        }
        catch (ObjectDisposedException)
        {
            throw new SynthesisRejectedException(ErrorCodes.ModelNotReady, "the model is not ready: the server is shutting down");
        }

        LogAccepted(logger, context.RequestId, synthesisId, context.Origin, generation.Streaming, generation.Seed);
        // Jobs write their own history row (status, audio) in the job, so the tap would only write it twice.
        if (_recorder is null || context.Origin == EntryPoint.Job)
        {
            return new SynthesisRun(synthesisId, context.RequestId, engine.SampleRate, ticket.Events);
        }

        // The seed actually used, drawn above when the request left it out, so that a history entry can be re-run exactly.
        _recorder.Accepted(synthesisId, request with { Seed = generation.Seed }, context, DateTimeOffset.UtcNow);
        var events = HistoryTap.Start(ticket.Events, _recorder, synthesisId, engine.SampleRate);
        return new SynthesisRun(synthesisId, context.RequestId, engine.SampleRate, events);
    }

    internal static GenerationRequest ToGenerationRequest(SynthesisRequest request, VoicePrompt? prompt)
    {
        var streaming = request.Mode == SynthesisMode.Streaming;
        return new GenerationRequest
        {
            Text = request.Text,
            Prompt = prompt,
            CfgValue = (float)request.CfgValue,
            InferenceTimesteps = request.InferenceTimesteps,
            Normalize = request.Normalize,
            Streaming = streaming,
            // The reference re-runs only whole (non-streaming) results: streamed audio is already out.
            RetryBadcase = request.RetryBadcase && !streaming,
            Seed = request.Seed ?? RandomSeed.Next(),
        };
    }

    private VoxCpmEngine ReadyEngine()
    {
        var state = model.State;
        if (state.Status != ModelStatus.Loaded || engines.Engine is not { } engine)
        {
            throw new SynthesisRejectedException(ErrorCodes.ModelNotReady, $"the model is not ready ({state.Status.ToString().ToLowerInvariant()}): {state.Message}");
        }

        return engine;
    }

    private async Task<VoicePrompt?> ResolveVoiceAsync(VoxCpmEngine engine, SynthesisRequest request, CancellationToken cancellationToken)
    {
        if (request.VoiceId is { } voiceId)
        {
            if (_voices is null)
            {
                throw new SynthesisRejectedException(ErrorCodes.InvalidRequest, "voice_id is not supported yet: saved voices are not enabled on this server (use prompt_wav_url)", "voice_id");
            }

            return await _voices.GetPromptAsync(voiceId, cancellationToken)
                ?? throw new SynthesisRejectedException(ErrorCodes.NotFound, $"voice_id {voiceId} does not name a saved voice", "voice_id");
        }

        if (request.PromptWavUrl is not { } url)
        {
            return null;
        }

        var wav = await promptAudio.FetchAsync(new Uri(url, UriKind.Absolute), cancellationToken);
        try
        {
            // Encoding is CPU work of a few milliseconds per second of audio; it runs on the caller's thread, not the scheduler's.
            return await services.GetRequiredService<ReferenceVoiceEncoder>().EncodeAsync(engine, wav, request.PromptText ?? "", request.Denoise, cancellationToken);
        }
        catch (SynthesisException e)
        {
            throw new SynthesisRejectedException(ErrorCodes.PromptAudioInvalid, e.Message, "prompt_wav_url");
        }
    }
}
