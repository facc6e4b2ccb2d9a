using System.Globalization;
using Microsoft.Extensions.AI;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Client;

/// <summary>
/// How <see cref="TextToSpeechOptions"/> map to the hub's <see cref="SynthesisRequest"/>: <c>VoiceId</c> is a saved
/// voice's id (a UUID); <c>AudioFormat</c> is <c>wav</c> or <c>pcm</c>; <c>Speed</c> must be 1; <c>ModelId</c> and
/// <c>Language</c> are not needed (one model per server, language detected from the text). The hub's own parameters go in
/// <c>AdditionalProperties</c> under the raw protocol's names (<c>cfg_value</c>, <c>inference_timesteps</c>, <c>seed</c>,
/// <c>normalize</c>, <c>prompt_wav_url</c>, <c>prompt_text</c>), or whole as a <see cref="SynthesisRequest"/> from
/// <c>RawRepresentationFactory</c>.
/// </summary>
public static class VoxCpmSpeechOptions
{
    /// <summary>The additional property holding the audio's sample rate (responses and updates).</summary>
    public const string SampleRateProperty = "sample_rate";

    /// <summary>The request <paramref name="options"/> describe, speaking <paramref name="text"/>.</summary>
    /// <param name="text">What to say.</param>
    /// <param name="options">The options, or null for the server's defaults.</param>
    public static SynthesisRequest ToRequest(string text, TextToSpeechOptions? options)
    {
        var request = options?.RawRepresentationFactory?.Invoke(null!) as SynthesisRequest ?? new SynthesisRequest();
        request = request with { Text = text, Mode = SynthesisMode.Streaming };
        if (options is null)
        {
            return request;
        }

        if (options.Speed is { } speed && Math.Abs(speed - 1f) > 1e-6)
        {
            throw new ArgumentException($"Speed must be 1 (got {speed.ToString(CultureInfo.InvariantCulture)}): VoxCPM speaks at its own pace", nameof(options));
        }

        if (options.VoiceId is { } voice)
        {
            request = request with
            {
                VoiceId = Guid.TryParse(voice, out var id) ? id : throw new ArgumentException($"VoiceId must be the id (a UUID) of a voice saved on the server (got '{voice}')", nameof(options)),
            };
        }

        var extra = options.AdditionalProperties;
        if (extra is null)
        {
            return request;
        }

        return request with
        {
            CfgValue = Number(extra, "cfg_value") ?? request.CfgValue,
            InferenceTimesteps = (int?)Number(extra, "inference_timesteps") ?? request.InferenceTimesteps,
            Seed = (long?)Number(extra, "seed") ?? request.Seed,
            Normalize = extra.TryGetValue("normalize", out var normalize) && normalize is bool on ? on : request.Normalize,
            PromptWavUrl = extra.TryGetValue("prompt_wav_url", out var url) ? url?.ToString() : request.PromptWavUrl,
            PromptText = extra.TryGetValue("prompt_text", out var prompt) ? prompt?.ToString() : request.PromptText,
        };
    }

    /// <summary>The audio format asked for: <c>wav</c> or <c>pcm</c> (streaming: <c>pcm</c> only).</summary>
    internal static string Format(TextToSpeechOptions? options, string defaultFormat, bool streaming = false)
    {
        var format = options?.AudioFormat?.ToLowerInvariant() switch
        {
            null or "" => defaultFormat,
            "wav" or "audio/wav" => "wav",
            "pcm" or PcmMediaTypeName => "pcm",
            var other => throw new NotSupportedException($"AudioFormat must be 'wav' or 'pcm' (got '{other}')"),
        };
        return streaming && format != "pcm"
            ? throw new NotSupportedException($"streamed audio is raw PCM16: AudioFormat must be 'pcm' or unset (got '{format}')")
            : format;
    }

    private const string PcmMediaTypeName = VoxCpmTextToSpeechClient.PcmMediaType;

    private static double? Number(AdditionalPropertiesDictionary extra, string name) =>
        extra.TryGetValue(name, out var value) && value is not null
            ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
            : null;
}
