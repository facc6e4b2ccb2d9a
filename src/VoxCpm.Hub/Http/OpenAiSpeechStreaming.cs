using System.Globalization;
using System.Text.Json;
using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Audio.Codecs.Writing;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Http;

/// <summary>
/// <c>/v1/audio/speech</c> with <c>stream_format</c>: <c>audio</c> sends a chunked body in the requested
/// <c>response_format</c> that starts with the first audio (a WAV header of unknown length, an Ogg Opus stream, MP3,
/// AAC or FLAC frames as FFmpeg produces them), <c>sse</c> sends the same bytes as OpenAI's server-sent events,
/// <c>speech.audio.delta</c> (base64) and one <c>speech.audio.done</c> (usage). Runs as a streaming synthesis on the
/// one path (history: one streaming HTTP row). Refusals before the first byte are the usual JSON errors; a failure
/// after it ends an SSE stream with an <c>error</c> event and aborts a chunked body, so truncated audio is never
/// mistaken for a whole one.
/// </summary>
internal sealed class OpenAiSpeechStreaming(SynthesisService synthesis, RequestTracking tracking, FfmpegTool ffmpeg, ILogger<OpenAiSpeechStreaming> logger)
{
    public const string Audio = "audio";
    public const string Sse = "sse";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> StreamAsync(HttpContext http, SynthesisRequest request, AudioOutputFormat format, bool sse, CancellationToken cancellationToken)
    {
        using var scope = tracking.Begin(logger, EntryPoint.Http, http.TraceIdentifier);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Deadline);
        SynthesisRun run;
        try
        {
            var context = new SynthesisContext(EntryPoint.Http, http.TraceIdentifier, http.Connection.RemoteIpAddress?.ToString());
            run = (await synthesis.SubmitAsync(request with { Mode = SynthesisMode.Streaming }, context, scope, cancel.Token)).Run!;
        }
        catch (SynthesisRejectedException rejected)
        {
            return ApiErrors.Error(ApiErrors.StatusFor(rejected.Code), rejected.Code, rejected.Message, rejected.Field);
        }

        scope.Accepted(run.SynthesisId);
        var response = http.Response;
        response.Headers["X-Synthesis-Id"] = run.SynthesisId.ToString();
        response.Headers[OpenAiSpeechEndpoint.SampleRateHeader] = run.SampleRate.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-cache";
        response.ContentType = sse ? "text/event-stream" : AudioOutputFormats.ContentType(format);
        await using var body = sse ? new SseDeltaStream(response.Body) : new FlushingStream(response.Body);
        var (code, message, samples) = await EncodeEventsAsync(run, AudioStreamEncoder.Create(format, run.SampleRate, body, ffmpeg), cancel.Token);
        if (code is null)
        {
            scope.Completed();
            if (body is SseDeltaStream events)
            {
                await events.DoneAsync(request.Text.Length, samples, cancel.Token);
            }

            return Results.Empty;
        }

        scope.Ended(code);
        if (body is SseDeltaStream failed && !http.RequestAborted.IsCancellationRequested)
        {
            await failed.ErrorAsync(code, message!, CancellationToken.None);
        }
        else
        {
            http.Abort();
        }

        return Results.Empty;
    }

    /// <summary>Encodes every audio chunk as it comes; the error code and message when the synthesis fails (else nulls) and the samples encoded.</summary>
    private static async Task<(string? Code, string? Message, long Samples)> EncodeEventsAsync(SynthesisRun run, AudioStreamEncoder encoder, CancellationToken cancellationToken)
    {
        await using var owned = encoder;
        var encoding = new SpeechEncoding(encoder, cancellationToken);
        try
        {
            await SynthesisEvents.DispatchAllAsync(run.Events, encoding);
            return (encoding.FailureCode, encoding.FailureMessage, encoding.Samples);
        }
        catch (OperationCanceledException)
        {
            // The client went away: the run is cancelled through its token and ends on its own.
            return (ErrorCodes.Cancelled, "the client disconnected", encoding.Samples);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("FFmpeg", StringComparison.Ordinal))
        {
            return (ErrorCodes.InternalError, e.Message, encoding.Samples);
        }
    }

    private sealed class SpeechEncoding(AudioStreamEncoder encoder, CancellationToken cancellationToken) : ISynthesisEventHandler
    {
        public long Samples { get; private set; }

        public string? FailureCode { get; private set; }

        public string? FailureMessage { get; private set; }

        public async ValueTask OnAudioAsync(AudioChunkEvent chunk, bool completesNext)
        {
            await encoder.WriteAsync(chunk.Samples, cancellationToken);
            Samples += chunk.Samples.Length;
        }

        public ValueTask OnCompletedAsync(CompletedEvent completed) => encoder.CompleteAsync(cancellationToken);

        public ValueTask OnFailedAsync(FailedEvent failed)
        {
            (FailureCode, FailureMessage) = (failed.Code, failed.Message);
            return default;
        }
    }
}
