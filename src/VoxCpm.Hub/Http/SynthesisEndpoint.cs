using System.Text.Json;
using System.Text.Json.Serialization;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Http;

/// <summary>
/// <c>POST /api/tts</c>: the request as JSON (the raw protocol's snake_case <c>params</c>), the whole audio back as a
/// PCM16 mono WAV. Runs as a durable job when <see cref="ISynthesisJobs"/> is registered; until then through the
/// synthesis service with streaming off. Refusals are JSON <c>{"error":{code,message,field}}</c>.
/// </summary>
internal static class SynthesisEndpoint
{
    public const string Path = "/api/tts";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static WebApplication MapVoxCpmHttpSynthesis(this WebApplication app)
    {
        app.MapPost(Path, HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, ISynthesisService synthesis, RequestTracking tracking, ILoggerFactory loggers, IServiceProvider services, CancellationToken cancellationToken)
    {
        using var scope = tracking.Begin(loggers.CreateLogger(typeof(SynthesisEndpoint).FullName!), EntryPoint.Http, context.TraceIdentifier);
        SynthesisRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<SynthesisRequest>(s_json, cancellationToken);
        }
        catch (JsonException e)
        {
            scope.Rejected(ErrorCodes.InvalidJson);
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, $"the body is not a valid request: {e.Message}", e.Path?.TrimStart('$', '.'));
        }

        if (request is null)
        {
            scope.Rejected(ErrorCodes.InvalidJson);
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "the body must be a JSON object with at least \"text\"", "text");
        }

        var synthesisContext = new SynthesisContext(EntryPoint.Http, context.TraceIdentifier, context.Connection.RemoteIpAddress?.ToString());
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Deadline);
        try
        {
            scope.ThrowIfRefused();
            return services.GetService<ISynthesisJobs>() is { } jobs
                ? await ViaJobAsync(jobs, request with { Mode = SynthesisMode.NonStreaming }, synthesisContext, scope, cancel.Token)
                : await DirectAsync(synthesis, request with { Mode = SynthesisMode.NonStreaming }, synthesisContext, scope, cancel.Token);
        }
        catch (SynthesisRejectedException rejected)
        {
            scope.Rejected(rejected.Code);
            return Error(ApiErrors.StatusFor(rejected.Code), rejected.Code, rejected.Message, rejected.Field);
        }
        catch (OperationCanceledException) when (scope.Deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The job is handed back to the queue by the stopping job server; another instance finishes it.
            scope.Ended(ErrorCodes.Unavailable);
            return Error(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "the server shut down before the synthesis finished; its job continues on another instance", null);
        }
    }

    private static async Task<IResult> DirectAsync(ISynthesisService synthesis, SynthesisRequest request, SynthesisContext context, RequestScope scope, CancellationToken cancellationToken)
    {
        var run = await synthesis.StartAsync(request, context, cancellationToken);
        scope.Accepted(run.SynthesisId);
        var audio = new AudioAccumulator();
        await foreach (var e in run.Events.ReadAllAsync(CancellationToken.None))
        {
            switch (e)
            {
                case AudioChunkEvent chunk:
                    audio.Append(chunk.Samples.Span);
                    break;
                case CompletedEvent completed:
                    scope.Completed();
                    return new WavResult(WavWriter.ToWavBytes(audio.Detach().Span, run.SampleRate), run.SynthesisId, completed.Summary.AudioSeconds);
                case FailedEvent failed:
                    scope.Ended(failed.Code);
                    return Error(failed.Code == ErrorCodes.Cancelled ? 499 : StatusCodes.Status500InternalServerError, failed.Code, failed.Message, null);
            }
        }

        scope.Ended(ErrorCodes.InternalError);
        return Error(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "the synthesis ended without a result", null);
    }

    private static async Task<IResult> ViaJobAsync(ISynthesisJobs jobs, SynthesisRequest request, SynthesisContext context, RequestScope scope, CancellationToken cancellationToken)
    {
        var ticket = await jobs.EnqueueAsync(request, context, cancellationToken);
        scope.Accepted(ticket.SynthesisId);
        await foreach (var update in jobs.WatchAsync(ticket.JobId, cancellationToken))
        {
            if (update.Status == "completed")
            {
                scope.Completed();
                return await jobs.GetAudioAsync(ticket.SynthesisId, cancellationToken) is { } stored
                    ? new WavResult(stored.Wav, ticket.SynthesisId, stored.DurationSeconds)
                    : Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"the audio of synthesis {ticket.SynthesisId} is not stored", null);
            }

            if (update.Status is "failed" or "cancelled")
            {
                scope.Ended(update.Error?.Code ?? ErrorCodes.SynthesisFailed);
                return Error(StatusCodes.Status500InternalServerError, update.Error?.Code ?? ErrorCodes.SynthesisFailed, update.Error?.Message ?? $"job {ticket.JobId} {update.Status}", update.Error?.Field);
            }
        }

        scope.Ended(ErrorCodes.InternalError);
        return Error(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, $"job {ticket.JobId} ended without a result", null);
    }

    private static IResult Error(int status, string code, string message, string? field) =>
        Results.Json(new { error = new { code, message, field } }, statusCode: status);

    private sealed class WavResult(byte[] wav, Guid synthesisId, double seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["X-Synthesis-Id"] = synthesisId.ToString();
            httpContext.Response.Headers["X-Audio-Duration"] = seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(wav, "audio/wav", $"{synthesisId}.wav").ExecuteAsync(httpContext);
        }
    }
}
