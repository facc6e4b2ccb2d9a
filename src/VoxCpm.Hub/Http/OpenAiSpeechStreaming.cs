using System.Buffers;
using System.Globalization;
using System.Text.Json;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Http;

/// <summary>
/// <c>/v1/audio/speech</c> with <c>stream_format</c>: <c>audio</c> sends a chunked <c>pcm</c> or <c>wav</c> body that
/// starts with the first audio chunk (a WAV header of unknown length first), <c>sse</c> sends OpenAI's server-sent
/// events, <c>speech.audio.delta</c> (base64 audio) and one <c>speech.audio.done</c> (usage). Runs as a streaming
/// synthesis on the one path (history: one streaming HTTP row). Refusals before the first byte are the usual JSON errors;
/// a failure after it ends an SSE stream with an <c>error</c> event and aborts a chunked body, so truncated audio is never
/// mistaken for a whole one.
/// </summary>
internal sealed class OpenAiSpeechStreaming(SynthesisService synthesis, RequestTracking tracking, ILogger<OpenAiSpeechStreaming> logger)
{
    public const string Audio = "audio";
    public const string Sse = "sse";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> StreamAsync(HttpContext http, SynthesisRequest request, string format, bool sse, CancellationToken cancellationToken)
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
        response.ContentType = sse ? "text/event-stream" : format == OpenAiSpeechEndpoint.Pcm ? "audio/pcm" : "audio/wav";
        var writer = new SpeechWriter(response, sse);
        var (code, message) = await WriteEventsAsync(run, writer, format, cancel.Token);
        if (code is null)
        {
            scope.Completed();
            await writer.DoneAsync(request.Text.Length, cancel.Token);
            return Results.Empty;
        }

        scope.Ended(code);
        if (sse && !http.RequestAborted.IsCancellationRequested)
        {
            await writer.ErrorAsync(code, message!, CancellationToken.None);
        }
        else
        {
            http.Abort();
        }

        return Results.Empty;
    }

    /// <summary>Writes every audio chunk as it comes; the error code and message when the synthesis fails, else nulls.</summary>
    private static async Task<(string? Code, string? Message)> WriteEventsAsync(SynthesisRun run, SpeechWriter writer, string format, CancellationToken cancellationToken)
    {
        var headerPending = format == OpenAiSpeechEndpoint.Wav;
        try
        {
            // Read to the end without the token: a cancelled run ends with the scheduler's "cancelled" event.
            await foreach (var e in run.Events.ReadAllAsync(CancellationToken.None))
            {
                switch (e)
                {
                    case AudioChunkEvent chunk:
                        await writer.AudioAsync(chunk.Samples, run.SampleRate, headerPending, cancellationToken);
                        headerPending = false;
                        break;
                    case CompletedEvent:
                        if (headerPending)
                        {
                            await writer.AudioAsync(ReadOnlyMemory<float>.Empty, run.SampleRate, writeWavHeader: true, cancellationToken);
                        }

                        return (null, null);
                    case FailedEvent failed:
                        return (failed.Code, failed.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away: the run is cancelled through its token and ends on its own.
            return (ErrorCodes.Cancelled, "the client disconnected");
        }

        return (ErrorCodes.InternalError, "the synthesis ended without a result");
    }

    /// <summary>Audio bytes to the body: raw, or as SSE delta events (base64).</summary>
    private sealed class SpeechWriter(HttpResponse response, bool sse)
    {
        private long _bytes;

        public async Task AudioAsync(ReadOnlyMemory<float> samples, int sampleRate, bool writeWavHeader, CancellationToken cancellationToken)
        {
            var size = (writeWavHeader ? WavWriter.HeaderSize : 0) + (samples.Length * 2);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                var offset = 0;
                if (writeWavHeader)
                {
                    WavWriter.WriteHeader(buffer, sampleRate, sampleCount: -1); // length unknown while streaming
                    offset = WavWriter.HeaderSize;
                }

                WavWriter.ConvertToPcm16(samples.Span, buffer.AsSpan(offset));
                _bytes += size;
                if (sse)
                {
                    await WriteEventAsync(new DeltaEvent("speech.audio.delta", Convert.ToBase64String(buffer, 0, size)), cancellationToken);
                }
                else
                {
                    await response.Body.WriteAsync(buffer.AsMemory(0, size), cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>The final SSE event. OpenAI counts tokens; here input is characters and output is audio bytes / 2 (samples).</summary>
        public Task DoneAsync(int inputCharacters, CancellationToken cancellationToken) =>
            sse ? WriteEventAsync(new DoneEvent("speech.audio.done", new Usage(inputCharacters, _bytes / 2, inputCharacters + (_bytes / 2))), cancellationToken) : Task.CompletedTask;

        public Task ErrorAsync(string code, string message, CancellationToken cancellationToken) =>
            WriteEventAsync(new ErrorEvent("error", new ErrorPayload(code, message)), cancellationToken);

        private async Task WriteEventAsync<T>(T payload, CancellationToken cancellationToken)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(payload, s_json);
            await response.Body.WriteAsync("data: "u8.ToArray(), cancellationToken);
            await response.Body.WriteAsync(json, cancellationToken);
            await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }

    private sealed record DeltaEvent(string Type, string Audio);

    private sealed record DoneEvent(string Type, Usage Usage);

    private sealed record Usage(
        [property: System.Text.Json.Serialization.JsonPropertyName("input_tokens")] long InputTokens,
        [property: System.Text.Json.Serialization.JsonPropertyName("output_tokens")] long OutputTokens,
        [property: System.Text.Json.Serialization.JsonPropertyName("total_tokens")] long TotalTokens);

    private sealed record ErrorEvent(string Type, ErrorPayload Error);

    private sealed record ErrorPayload(string Code, string Message);
}
