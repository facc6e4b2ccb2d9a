using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Http;

/// <summary>
/// <c>POST /api/jobs</c> (a <see cref="SynthesisRequest"/> as JSON) → 202 with the job and synthesis ids;
/// <c>GET /api/jobs/{id}</c> → its status; <c>GET /api/jobs/{id}/audio</c> → the WAV once completed. The Hangfire
/// dashboard is the jobs feature's own (<see cref="JobDashboard"/>).
/// </summary>
internal static class JobEndpoints
{
    public const string Route = "/api/jobs";

    public static IEndpointRouteBuilder MapVoxCpmJobs(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Route).WithTags(ApiDocument.JobsTag);
        group.MapPost("/", EnqueueAsync)
            .WithName("SubmitJob")
            .WithSummary("Submit a non-streaming synthesis as a durable job")
            .WithDescription("The body is a synthesis request with snake_case names, as POST /api/tts and the raw protocol's params (text, cfg_value, inference_timesteps, normalize, denoise, retry_badcase, seed, prompt_wav_url, prompt_text, voice_id, voice_description, reference_wav_url); the answers are snake_case too (job_id, synthesis_id, status_url, audio_url). The job survives a restart of the server and is retried on transient failures; its result lands in history.")
            .Accepts<SynthesisRequest>("application/json")
            .Produces<JobAccepted>(StatusCodes.Status202Accepted)
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/{id}", GetAsync)
            .WithName("GetJob")
            .WithSummary("A job's status: queued, running, completed, failed or cancelled, with its timings once completed")
            .Produces<JobUpdate>()
            .ProducesApiErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/audio", GetAudioAsync)
            .WithName("GetJobAudio")
            .WithSummary("A completed job's audio: WAV, or ?format=mp3|opus|aac|flac|wav|pcm (seekable: HTTP Range requests are answered with 206)")
            .ProducesSeekableAudio()
            .ProducesApiErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<IResult> EnqueueAsync(HttpContext http, SynthesisJobs jobs, CancellationToken cancellationToken)
    {
        var (request, refusal) = await SynthesisRequestBody.ReadAsync(http.Request, cancellationToken);
        if (request is null)
        {
            return refusal!;
        }

        try
        {
            var client = http.Connection.RemoteIpAddress?.ToString();
            var ticket = await jobs.EnqueueAsync(request, new SynthesisContext(EntryPoint.Http, "job-" + Guid.NewGuid().ToString("N")[..12], client), cancellationToken);
            return JobAccepted.For(ticket);
        }
        catch (SynthesisRejectedException ex)
        {
            return ApiErrors.Error(ApiErrors.StatusFor(ex.Code), ex.Code, ex.Message, ex.Field);
        }
    }

    private static async Task<IResult> GetAsync(string id, SynthesisJobs jobs, CancellationToken cancellationToken) =>
        await jobs.GetStatusAsync(id, cancellationToken) is { } update ? TypedResults.Ok(update) : NotFound(id);

    private static async Task<IResult> GetAudioAsync(string id, string? format, SynthesisJobs jobs, FfmpegTool ffmpeg, CancellationToken cancellationToken)
    {
        var (outputFormat, badFormat) = AudioDownload.Parse(format, "format", ffmpeg);
        if (badFormat is not null)
        {
            return badFormat;
        }

        if (await jobs.GetStatusAsync(id, cancellationToken) is not { SynthesisId: { } synthesisId } update)
        {
            return NotFound(id);
        }

        return await jobs.GetAudioAsync(synthesisId, cancellationToken) is { } audio
            ? await AudioDownload.FileAsync(audio.Wav, outputFormat, $"job-{id}", ffmpeg, cancellationToken)
            : ApiErrors.Error(StatusCodes.Status409Conflict, ErrorCodes.NotFound, $"job {id} has no audio yet (status: {update.Status})");
    }

    private static IResult NotFound(string id) => ApiErrors.NotFound($"no job {id}");
}
