using System.Globalization;
using System.Text.Json;
using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Voices;

namespace VoxCpm.Hub.Http;

/// <summary>
/// OpenAI-compatible <c>POST /v1/audio/speech</c>, so that OpenAI SDKs and tools can use the hub. The body maps onto a
/// <see cref="SynthesisRequest"/> (<c>input</c> → text, checked by the one validator in the synthesis path) and runs through
/// <see cref="WholeSynthesis"/> like <c>POST /api/tts</c>, landing in history as an HTTP request. Errors keep the hub's
/// body <c>{"error":{code,message,field}}</c>, whose <c>error.message</c> OpenAI clients show, and name OpenAI's fields.
/// </summary>
internal static class OpenAiSpeechEndpoint
{
    public const string Path = "/v1/audio/speech";
    public const string Wav = "wav";
    public const string Pcm = "pcm";
    public const string SampleRateHeader = "X-Sample-Rate";

    /// <summary>
    /// OpenAI's built-in voice names. This server has none of them; rather than fail every client configured with one,
    /// they mean the model's default (zero-shot) voice. A saved voice of the same name takes precedence.
    /// </summary>
    public static readonly IReadOnlySet<string> BuiltInVoices = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage", "shimmer", "verse",
    };

    /// <summary>The model's own (zero-shot) voice, by name: the same as giving no voice.</summary>
    public const string DefaultVoice = "default";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static WebApplication MapVoxCpmOpenAiSpeech(this WebApplication app)
    {
        app.MapPost(Path, HandleAsync)
            .WithName("OpenAiCreateSpeech")
            .WithTags(ApiDocument.OpenAiTag)
            .WithSummary("OpenAI-compatible speech: input, voice, response_format (mp3, opus, aac, flac, wav or pcm), speed (1.0 only)")
            .WithDescription("model is accepted and ignored. voice names a saved voice by name or id; OpenAI's built-in names (alloy, echo, …) and an absent voice mean the default voice. "
                + "response_format wav (default) is a PCM16 mono WAV; mp3 (audio/mpeg), opus (Ogg Opus, audio/ogg), aac (ADTS, audio/aac) and flac (audio/flac) are encoded from it (mp3, aac and flac need FFmpeg on the server); pcm is raw 16-bit little-endian mono samples at the rate given in the X-Sample-Rate header. "
                + "The synthesis is recorded in history (X-Synthesis-Id names the entry).")
            .Accepts<OpenAiSpeechRequest>("application/json")
            .ProducesAudio("audio/wav", "audio/mpeg", "audio/ogg", "audio/aac", "audio/flac", "audio/pcm")
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, VoiceStore voices, WholeSynthesis synthesis, OpenAiSpeechStreaming streaming, FfmpegTool ffmpeg, CancellationToken cancellationToken)
    {
        OpenAiSpeechRequest? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<OpenAiSpeechRequest>(s_json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, $"the body is not a valid speech request: {e.Message}", e.Path?.TrimStart('$', '.'));
        }

        if (body is null)
        {
            return ApiErrors.Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "the body must be a JSON object with at least \"input\"", "input");
        }

        // OpenAI's default is mp3; this server's stays wav, which every client reads without a decoder.
        var (format, badFormat) = AudioDownload.Parse(body.ResponseFormat, "response_format", ffmpeg);
        if (badFormat is not null)
        {
            return badFormat;
        }

        if (body.Speed is { } speed && speed != 1.0)
        {
            return ApiErrors.BadRequest("speed", $"speed must be 1.0 (got {speed.ToString(CultureInfo.InvariantCulture)}): the model speaks at its own pace");
        }

        var streamFormat = body.StreamFormat?.Trim().ToLowerInvariant();
        if (streamFormat is not (null or OpenAiSpeechStreaming.Audio or OpenAiSpeechStreaming.Sse))
        {
            return ApiErrors.BadRequest("stream_format", $"stream_format must be audio (a chunked body from the first audio) or sse (speech.audio.delta events) (got '{body.StreamFormat}')");
        }

        var (voiceId, unknownVoice) = await ResolveVoiceAsync(body.Voice, voices, cancellationToken);
        if (unknownVoice is not null)
        {
            return unknownVoice;
        }

        var request = new SynthesisRequest { Text = body.Input ?? "", VoiceId = voiceId, VoiceDescription = string.IsNullOrWhiteSpace(body.Instructions) ? null : body.Instructions, Seed = body.Seed };
        if (streamFormat is not null)
        {
            return await streaming.StreamAsync(context, request, format, streamFormat == OpenAiSpeechStreaming.Sse, cancellationToken);
        }

        var result = await synthesis.RunAsync(request, context, cancellationToken);
        if (result.Audio is not { } audio)
        {
            return ToOpenAiNames(result.Error!, result.Status);
        }

        context.Response.Headers["X-Synthesis-Id"] = audio.SynthesisId.ToString();
        context.Response.Headers[SampleRateHeader] = audio.SampleRate.ToString(CultureInfo.InvariantCulture);
        return await AudioDownload.FileAsync(audio.Wav, format, $"speech-{audio.SynthesisId}", ffmpeg, cancellationToken);
    }

    private static async Task<(Guid? VoiceId, IResult? Unknown)> ResolveVoiceAsync(string? voice, VoiceStore voices, CancellationToken cancellationToken)
    {
        voice = voice?.Trim();
        if (string.IsNullOrEmpty(voice) || voice.Equals(DefaultVoice, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        if (Guid.TryParse(voice, out var id) && await voices.GetAsync(id, cancellationToken) is not null)
        {
            return (id, null);
        }

        if (await voices.FindByNameAsync(voice, cancellationToken) is { } named)
        {
            return (named, null);
        }

        return BuiltInVoices.Contains(voice)
            ? (null, null)
            : (null, ApiErrors.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound,
                $"voice '{voice}' is neither a saved voice (name or id; see GET /api/voices) nor an OpenAI voice name ({string.Join(", ", BuiltInVoices.Order(StringComparer.Ordinal))}), which mean the default voice, nor '{DefaultVoice}'", "voice"));
    }

    // The synthesis path names the hub's fields; this endpoint's caller wrote OpenAI's.
    private static IResult ToOpenAiNames(ErrorInfo error, int status)
    {
        var (field, message) = error.Field switch
        {
            "text" => ("input", Rename(error.Message, "text", "input")),
            "voice_id" => ("voice", Rename(error.Message, "voice_id", "voice")),
            "voice_description" => ("instructions", Rename(error.Message, "voice_description", "instructions")),
            _ => (error.Field, error.Message),
        };
        return ApiErrors.Error(status, error.Code, message, field);
    }

    private static string Rename(string message, string from, string to) =>
        message.StartsWith(from + " ", StringComparison.Ordinal) ? to + message[from.Length..] : message;
}
