using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Metrics;

namespace VoxCpm.Hub.Http;

/// <summary>
/// <c>POST /api/tts</c>: the request as JSON (the raw protocol's <c>params</c>, read by <see cref="SynthesisRequestBody"/>),
/// the whole audio back as a PCM16 mono WAV (<see cref="WholeSynthesis"/>). Refusals are JSON
/// <c>{"error":{code,message,field}}</c>.
/// </summary>
internal static class SynthesisEndpoint
{
    public const string Path = "/api/tts";

    public static WebApplication MapVoxCpmHttpSynthesis(this WebApplication app)
    {
        app.MapPost(Path, HandleAsync)
            .WithName("Synthesize")
            .WithTags(ApiDocument.SynthesisTag)
            .WithSummary("Synthesize text and return the whole audio as a WAV file")
            .WithDescription("The body is a synthesis request with snake_case names (text, mode, cfg_value, inference_timesteps, normalize, denoise, retry_badcase, seed, prompt_wav_url, prompt_text, voice_id, voice_description, reference_wav_url), as in the raw protocol's params. It runs on the scheduler and is answered as soon as the audio is complete (recorded in history like every request); the response headers X-Synthesis-Id and X-Audio-Duration name the history entry and the audio's length in seconds.")
            .Accepts<SynthesisRequest>("application/json")
            .ProducesAudio()
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, WholeSynthesis synthesis, HubMeters meters, CancellationToken cancellationToken)
    {
        var (request, refusal) = await SynthesisRequestBody.ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            meters.Finished(EntryPoint.Http, Outcomes.Rejected, ErrorCodes.InvalidJson);
            return refusal!;
        }

        var result = await synthesis.RunAsync(request, context, cancellationToken);
        return result.Audio is { } audio ? new WavResult(audio) : result.ToErrorResult();
    }

    private sealed class WavResult(SynthesizedAudio audio) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["X-Synthesis-Id"] = audio.SynthesisId.ToString();
            httpContext.Response.Headers["X-Audio-Duration"] = audio.Seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(audio.Wav, "audio/wav", $"{audio.SynthesisId}.wav").ExecuteAsync(httpContext);
        }
    }
}
