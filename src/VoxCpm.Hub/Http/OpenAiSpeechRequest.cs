using System.Text.Json.Serialization;

namespace VoxCpm.Hub.Http;

/// <summary>The body of OpenAI's <c>POST /v1/audio/speech</c>, as its SDKs send it. Other fields are ignored.</summary>
internal sealed record OpenAiSpeechRequest
{
    /// <summary>Accepted and ignored: this server has one model.</summary>
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    /// <summary>The text to speak (the synthesis request's text, with the same limits).</summary>
    [JsonPropertyName("input")]
    public string? Input { get; init; }

    /// <summary>A saved voice's name or id; an OpenAI built-in name (alloy, echo, …) or none means the default voice.</summary>
    [JsonPropertyName("voice")]
    public string? Voice { get; init; }

    /// <summary>How to speak: the synthesis request's <c>voice_description</c> (VoxCPM2 voice design; refused on other models).</summary>
    [JsonPropertyName("instructions")]
    public string? Instructions { get; init; }

    /// <summary><c>wav</c> (default; PCM16 mono WAV) or <c>pcm</c> (raw 16-bit little-endian mono samples at the rate in X-Sample-Rate).</summary>
    [JsonPropertyName("response_format")]
    public string? ResponseFormat { get; init; }

    /// <summary>Not in OpenAI's API: the synthesis request's <c>seed</c>, for reproducible audio (random when absent).</summary>
    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    /// <summary>Only 1.0: the model speaks at its own pace.</summary>
    [JsonPropertyName("speed")]
    public double? Speed { get; init; }

    /// <summary>
    /// Absent: the whole file in one response (run as a job). <c>audio</c>: a chunked body starting with the first audio.
    /// <c>sse</c>: server-sent <c>speech.audio.delta</c> / <c>speech.audio.done</c> events.
    /// </summary>
    [JsonPropertyName("stream_format")]
    public string? StreamFormat { get; init; }
}
