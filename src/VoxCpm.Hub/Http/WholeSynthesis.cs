using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Http;

/// <summary>
/// A request synthesized to the end and answered in one piece, shared by <c>POST /api/tts</c> and
/// <c>POST /v1/audio/speech</c>: a durable job when <see cref="ISynthesisJobs"/> is registered, otherwise the
/// synthesis service with streaming off. Either way it is the one synthesis path and lands in history.
/// </summary>
internal static class WholeSynthesis
{
    public static async Task<WholeSynthesisResult> RunAsync(
        SynthesisRequest request, SynthesisContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        request = request with { Mode = SynthesisMode.NonStreaming };
        try
        {
            return services.GetService<ISynthesisJobs>() is { } jobs
                ? await ViaJobAsync(jobs, request, context, cancellationToken)
                : await DirectAsync(services.GetRequiredService<ISynthesisService>(), request, context, cancellationToken);
        }
        catch (SynthesisRejectedException rejected)
        {
            return Failed(ApiErrors.StatusFor(rejected.Code), rejected.Code, rejected.Message, rejected.Field);
        }
    }

    private static async Task<WholeSynthesisResult> DirectAsync(ISynthesisService synthesis, SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        var run = await synthesis.StartAsync(request, context, cancellationToken);
        var audio = new AudioAccumulator();
        await foreach (var e in run.Events.ReadAllAsync(CancellationToken.None))
        {
            switch (e)
            {
                case AudioChunkEvent chunk:
                    audio.Append(chunk.Samples.Span);
                    break;
                case CompletedEvent completed:
                    var wav = WavWriter.ToWavBytes(audio.Detach().Span, run.SampleRate);
                    return new WholeSynthesisResult(new SynthesizedAudio(run.SynthesisId, wav, run.SampleRate, completed.Summary.AudioSeconds), 0, null);
                case FailedEvent failed:
                    return Failed(ApiErrors.StatusFor(failed.Code), failed.Code, failed.Message, null);
            }
        }

        return Failed(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "the synthesis ended without a result", null);
    }

    private static async Task<WholeSynthesisResult> ViaJobAsync(ISynthesisJobs jobs, SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        var ticket = await jobs.EnqueueAsync(request, context, cancellationToken);
        await foreach (var update in jobs.WatchAsync(ticket.JobId, cancellationToken))
        {
            if (update.Status == "completed")
            {
                return await jobs.GetAudioAsync(ticket.SynthesisId, cancellationToken) is { } stored
                    ? new WholeSynthesisResult(new SynthesizedAudio(ticket.SynthesisId, stored.Wav, stored.SampleRate, stored.DurationSeconds), 0, null)
                    : Failed(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"the audio of synthesis {ticket.SynthesisId} is not stored", null);
            }

            if (update.Status is "failed" or "cancelled")
            {
                var code = update.Error?.Code ?? ErrorCodes.SynthesisFailed;
                return Failed(ApiErrors.StatusFor(code), code, update.Error?.Message ?? $"job {ticket.JobId} {update.Status}", update.Error?.Field);
            }
        }

        return Failed(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, $"job {ticket.JobId} ended without a result", null);
    }

    private static WholeSynthesisResult Failed(int status, string code, string message, string? field) =>
        new(null, status, new ErrorInfo { Code = code, Message = message, Field = field });
}

/// <summary>The finished audio (PCM16 mono WAV) of one synthesis and its history id.</summary>
internal sealed record SynthesizedAudio(Guid SynthesisId, byte[] Wav, int SampleRate, double Seconds);

/// <summary>Either <see cref="Audio"/>, or the HTTP status and error that refused or failed the request.</summary>
internal sealed record WholeSynthesisResult(SynthesizedAudio? Audio, int Status, ErrorInfo? Error)
{
    public IResult ToErrorResult() =>
        ApiErrors.Error(Status, Error?.Code ?? ErrorCodes.InternalError, Error?.Message ?? "the synthesis failed", Error?.Field);
}
