using Microsoft.Extensions.Options;
using VoxCpm.Engine;
using VoxCpm.Hub.Audio;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis.PromptAudio;
using VoxCpm.Hub.Synthesis.TextStreaming;
using VoxCpm.Hub.Voices;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// The one synthesis path. Every transport (raw /tts, SignalR, HTTP, the jobs API and the job runner) hands its
/// request here and only translates its wire format. This class owns what they share: validation against the
/// limits (once per request), the seed actually used (drawn once, recorded, repeated by retries), the delivery
/// (streamed from the scheduler or a durable job), and the outcome bookkeeping (metrics, history).
/// </summary>
internal sealed partial class SynthesisService(
    IModelLifecycle model,
    IEngineAccessor engines,
    PromptAudioFetcher promptAudio,
    ReferenceVoiceEncoder voiceEncoder,
    IVoiceStore voices,
    ISynthesisRecorder recorder,
    ISynthesisJobQueue jobs,
    IOptions<SynthesisOptions> options,
    IOptions<TextStreamOptions> textStreamOptions,
    ILogger<TextStreamSession> textStreamLogger,
    ILogger<SynthesisService> logger) : ISynthesisService
{
    private readonly SynthesisLimits _limits = new(options.Value.MaxTextLength);

    public SynthesisLimits Limits => _limits;

    /// <summary>
    /// A transport's request: refused while the hub drains, validated, then delivered. A SignalR
    /// <c>non_streaming</c> request becomes a durable job (the hub answers <c>job_accepted</c> and the client
    /// watches the job); everything else runs on the scheduler and its events come back in the
    /// <see cref="SynthesisRun"/>. Refusals are counted on <paramref name="scope"/> and thrown as
    /// <see cref="SynthesisRejectedException"/>; the run's outcome is counted when its last event passes.
    /// </summary>
    public async Task<SynthesisStart> SubmitAsync(SynthesisRequest request, SynthesisContext context, RequestScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await CountRefusalsAsync(scope, async () =>
        {
            var accepted = Accept(request);
            if (accepted.Mode == SynthesisMode.NonStreaming && context.Origin == EntryPoint.SignalR)
            {
                var ticket = await jobs.EnqueueAsync(accepted, context, cancellationToken);
                // The transport's part ends here: the job's own outcome is counted when it runs.
                scope.Completed();
                return new SynthesisStart(null, ticket);
            }

            return new SynthesisStart(await RunAsync(accepted, context, scope, cancellationToken), null);
        });
    }

    /// <summary>
    /// A transport's request starts under <paramref name="scope"/>: refused while the hub drains, and every refusal
    /// counted on the scope before it is thrown to the transport.
    /// </summary>
    private static async Task<T> CountRefusalsAsync<T>(RequestScope scope, Func<Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            scope.ThrowIfRefused();
            return await start();
        }
        catch (SynthesisRejectedException rejected)
        {
            scope.Rejected(rejected.Code);
            throw;
        }
    }

    /// <summary>A durable job, whatever the mode (<c>POST /api/jobs</c>, <see cref="Jobs.ISynthesisJobs"/>): validated and seeded here, run later.</summary>
    public Task<JobTicket> EnqueueAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return jobs.EnqueueAsync(Accept(request) with { Mode = SynthesisMode.NonStreaming }, context, cancellationToken);
    }

    /// <summary>
    /// Runs a request on the scheduler. The job runner passes requests accepted when they were enqueued
    /// (<see cref="EntryPoint.Job"/>): they are neither validated nor seeded again, and the job writes its own row.
    /// </summary>
    public Task<SynthesisRun> StartAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return RunAsync(context.Origin == EntryPoint.Job ? request : Accept(request), context, null, cancellationToken);
    }

    /// <summary>Validates <paramref name="request"/> (the one call of the validator) and fixes its seed.</summary>
    private SynthesisRequest Accept(SynthesisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SynthesisRequestValidator.Validate(request, _limits) is { } invalid)
        {
            throw SynthesisRejectedException.From(invalid);
        }

        if (engines.Engine is { } loaded)
        {
            RefuseInputsTheModelLacks(loaded, request);
        }

        // Drawn here, once, so that history records the seed actually used and a re-run (or a job's retry) repeats it.
        return request.Seed is null ? request with { Seed = RandomSeed.Next() } : request;
    }

    private async Task<SynthesisRun> RunAsync(SynthesisRequest request, SynthesisContext context, RequestScope? scope, CancellationToken cancellationToken)
    {
        var engine = ReadyEngine();
        // Again here: a job accepted before the model changed runs on whatever model is loaded now.
        RefuseInputsTheModelLacks(engine, request);
        var (prompt, reference) = await ResolveVoiceInputsAsync(engine, request, cancellationToken);
        var generation = ToGenerationRequest(request, prompt, reference);
        var synthesisId = context.SynthesisId ?? Guid.CreateVersion7();

        var ticket = Submit(engine, generation, context, cancellationToken);
        LogAccepted(logger, context.RequestId, synthesisId, context.Origin, generation.Streaming, generation.Seed);
        // Jobs write their own history row (status, audio) in the job, so the tap would only write it twice.
        var history = context.Origin == EntryPoint.Job ? null : recorder;
        history?.Accepted(synthesisId, request, context, DateTimeOffset.UtcNow);
        var events = RunTap.Start(ticket.Events, history, scope, synthesisId, engine.SampleRate);
        return new SynthesisRun(synthesisId, context.RequestId, engine.SampleRate, events);
    }

    /// <summary>Hands a generation to the scheduler; a full queue or a stopping engine is a refusal the transports report.</summary>
    private SynthesisTicket Submit(VoxCpmEngine engine, GenerationRequest generation, SynthesisContext context, CancellationToken cancellationToken)
    {
        try
        {
            return engine.Scheduler.Submit(generation, cancellationToken);
        }
        catch (SchedulerBusyException e)
        {
            LogBusy(logger, context.RequestId, context.Origin);
            throw new SynthesisRejectedException(ErrorCodes.Busy, EngineSettingNames.ToHostSettings(e.Message));
        }
        catch (ObjectDisposedException)
        {
            throw new SynthesisRejectedException(ErrorCodes.ModelNotReady, "the model is not ready: the server is shutting down");
        }
    }

    internal static GenerationRequest ToGenerationRequest(SynthesisRequest request, VoicePrompt? prompt, VoiceReference? reference = null)
    {
        var streaming = request.Mode == SynthesisMode.Streaming;
        return new GenerationRequest
        {
            Text = SpokenText(request, request.Text),
            Prompt = prompt,
            Reference = reference,
            CfgValue = (float)request.CfgValue,
            InferenceTimesteps = request.InferenceTimesteps,
            Normalize = request.Normalize,
            Streaming = streaming,
            // The reference re-runs only whole (non-streaming) results: streamed audio is already out.
            RetryBadcase = request.RetryBadcase && !streaming,
            Seed = request.Seed ?? throw new ArgumentException("the request was not accepted: it has no seed", nameof(request)),
        };
    }

    /// <summary>VoxCPM2 reads a voice description as a parenthesized prefix of the text (voice design / style control).</summary>
    internal static string SpokenText(SynthesisRequest request, string text) =>
        request.VoiceDescription is { } description ? $"({description}){text}" : text;

    private VoxCpmEngine ReadyEngine()
    {
        var state = model.State;
        if (state.Status != ModelStatus.Loaded || engines.Engine is not { } engine)
        {
            throw new SynthesisRejectedException(ErrorCodes.ModelNotReady, $"the model is not ready ({state.Status.ToString().ToLowerInvariant()}): {state.Message}");
        }

        return engine;
    }

    /// <summary>
    /// Refuses a field the loaded model cannot use, naming the field and the model: voice design and reference audio
    /// without a transcript exist only in VoxCPM2.
    /// </summary>
    private static void RefuseInputsTheModelLacks(VoxCpmEngine engine, SynthesisRequest request)
    {
        if (engine.SupportsReferenceAudio)
        {
            return;
        }

        string? field = request.VoiceDescription is not null ? "voice_description"
            : request.ReferenceWavUrl is not null ? "reference_wav_url"
            : null;
        if (field is not null)
        {
            throw new SynthesisRejectedException(
                ErrorCodes.InvalidRequest,
                $"{field} needs a VoxCPM2 model; the loaded model (architecture '{engine.Config.Architecture}', VoxCPM-0.5B/1.5) does not support it",
                field);
        }
    }

    private async Task<VoiceReference?> ResolveReferenceAsync(VoxCpmEngine engine, SynthesisRequest request, CancellationToken cancellationToken)
    {
        if (request.ReferenceWavUrl is not { } url)
        {
            return null;
        }

        const string Field = "reference_wav_url";
        byte[] wav;
        try
        {
            // The same fetcher (size limit, SSRF rules) as prompt_wav_url; its refusals are renamed to this field.
            wav = await promptAudio.FetchAsync(new Uri(url, UriKind.Absolute), cancellationToken);
        }
        catch (SynthesisRejectedException e) when (e.Field == "prompt_wav_url")
        {
            throw new SynthesisRejectedException(e.Code, e.Message.Replace("prompt_wav_url", Field, StringComparison.Ordinal), Field);
        }

        try
        {
            return await voiceEncoder.EncodeReferenceAsync(engine, wav, request.Denoise, cancellationToken);
        }
        catch (SynthesisException e)
        {
            throw new SynthesisRejectedException(ErrorCodes.PromptAudioInvalid, e.Message, Field);
        }
    }

    /// <summary>The voice a request names: a saved voice (prompt or reference), prompt audio with its transcript, reference audio.</summary>
    private async Task<(VoicePrompt? Prompt, VoiceReference? Reference)> ResolveVoiceInputsAsync(VoxCpmEngine engine, SynthesisRequest request, CancellationToken cancellationToken)
    {
        var saved = request.VoiceId is { } voiceId
            ? await voices.GetEncodedAsync(voiceId, cancellationToken)
                ?? throw new SynthesisRejectedException(ErrorCodes.NotFound, $"voice_id {voiceId} does not name a saved voice", "voice_id")
            : null;
        if (saved?.Reference is not null && request.ReferenceWavUrl is not null)
        {
            throw new SynthesisRejectedException(ErrorCodes.InvalidRequest, "give either voice_id (a voice saved from reference audio alone) or reference_wav_url, not both", "reference_wav_url");
        }

        var prompt = saved?.Prompt ?? await ResolvePromptAsync(engine, request, cancellationToken);
        var reference = saved?.Reference ?? await ResolveReferenceAsync(engine, request, cancellationToken);
        return (prompt, reference);
    }

    private async Task<VoicePrompt?> ResolvePromptAsync(VoxCpmEngine engine, SynthesisRequest request, CancellationToken cancellationToken)
    {
        if (request.PromptWavUrl is not { } url)
        {
            return null;
        }

        var wav = await promptAudio.FetchAsync(new Uri(url, UriKind.Absolute), cancellationToken);
        try
        {
            // Encoding is CPU work of a few milliseconds per second of audio; it runs on the caller's thread, not the scheduler's.
            return await voiceEncoder.EncodeAsync(engine, wav, request.PromptText ?? "", request.Denoise, cancellationToken);
        }
        catch (SynthesisException e)
        {
            throw new SynthesisRejectedException(ErrorCodes.PromptAudioInvalid, e.Message, "prompt_wav_url");
        }
    }
}
