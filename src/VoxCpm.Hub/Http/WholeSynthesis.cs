using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Http;

/// <summary>
/// A request synthesized to the end and answered in one piece, shared by <c>POST /api/tts</c> and
/// <c>POST /v1/audio/speech</c>. It waits on the scheduler, not on a job's row: the audio is answered as soon as the
/// scheduler has produced it, and history records the request, durably, through the synthesis path like any other.
/// </summary>
internal sealed class WholeSynthesis(SynthesisService synthesis, RequestTracking tracking, ILogger<WholeSynthesis> logger)
{
    /// <summary>Runs <paramref name="request"/> (as non-streaming) to the end under the HTTP entry point's request scope.</summary>
    public async Task<WholeSynthesisResult> RunAsync(SynthesisRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        using var scope = tracking.Begin(logger, EntryPoint.Http, http.TraceIdentifier);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Deadline);
        var context = new SynthesisContext(EntryPoint.Http, http.TraceIdentifier, http.Connection.RemoteIpAddress?.ToString());
        try
        {
            var start = await synthesis.SubmitAsync(request with { Mode = SynthesisMode.NonStreaming }, context, scope, cancel.Token);
            var run = start.Run!;
            scope.Accepted(run.SynthesisId);
            var whole = await WholeAudio.CollectAsync(run);
            if (whole.Summary is not { } summary)
            {
                var failure = whole.Failure!;
                return scope.Deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                    ? Failed(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "the server shut down before the synthesis finished; send the request again", null)
                    : Failed(ApiErrors.StatusFor(failure.Code), failure.Code, failure.Message, null);
            }

            var wav = WavWriter.ToWavBytes(whole.Samples.Span, whole.SampleRate);
            return new WholeSynthesisResult(new SynthesizedAudio(run.SynthesisId, wav, whole.SampleRate, summary.AudioSeconds), 0, null);
        }
        catch (SynthesisRejectedException rejected)
        {
            return Failed(ApiErrors.StatusFor(rejected.Code), rejected.Code, rejected.Message, rejected.Field);
        }
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
