using MessagePack;

namespace VoxCpm.Hub.Contracts;

/// <summary>
/// One text-to-speech request. The same model serves the raw <c>/tts</c> WebSocket, the SignalR hub, the HTTP API and
/// background jobs; <see cref="SynthesisRequestValidator"/> is its only validator.
/// </summary>
[MessagePackObject]
public sealed record SynthesisRequest
{
    /// <summary>Text to synthesize (required).</summary>
    [Key("text")]
    public string Text { get; init; } = "";

    /// <summary>Streaming (default) or non-streaming.</summary>
    [Key("mode")]
    public SynthesisMode Mode { get; init; } = SynthesisMode.Streaming;

    /// <summary>URL of reference audio for voice cloning (http/https, public hosts only).</summary>
    [Key("promptWavUrl")]
    public string? PromptWavUrl { get; init; }

    /// <summary>Transcript of the reference audio; required with <see cref="PromptWavUrl"/> or uploaded audio.</summary>
    [Key("promptText")]
    public string? PromptText { get; init; }

    /// <summary>
    /// Voice design / style control (VoxCPM2 only): a description of the voice such as "a warm, slow elderly voice",
    /// sent to the model as "(description)text". Counted with the text against the text limit.
    /// </summary>
    [Key("voiceDescription")]
    public string? VoiceDescription { get; init; }

    /// <summary>
    /// URL of reference audio the voice is cloned from without a transcript (VoxCPM2 only; http/https, public hosts
    /// only, fetched like <see cref="PromptWavUrl"/>). May be combined with prompt audio and its transcript.
    /// </summary>
    [Key("referenceWavUrl")]
    public string? ReferenceWavUrl { get; init; }

    /// <summary>A saved voice to clone instead of a URL.</summary>
    [Key("voiceId")]
    public Guid? VoiceId { get; init; }

    /// <summary>Classifier-free guidance strength.</summary>
    [Key("cfgValue")]
    public double CfgValue { get; init; } = SynthesisDefaults.CfgValue;

    /// <summary>Flow-matching solver steps per patch.</summary>
    [Key("inferenceTimesteps")]
    public int InferenceTimesteps { get; init; } = SynthesisDefaults.InferenceTimesteps;

    /// <summary>Expand numbers, dates, units and symbols into words before tokenization.</summary>
    [Key("normalize")]
    public bool Normalize { get; init; }

    /// <summary>Clean the reference audio before it is encoded.</summary>
    [Key("denoise")]
    public bool Denoise { get; init; }

    /// <summary>Re-run a non-streaming synthesis whose audio is implausibly long for its text.</summary>
    [Key("retryBadcase")]
    public bool RetryBadcase { get; init; } = true;

    /// <summary>Makes a synthesis repeatable; random when absent.</summary>
    [Key("seed")]
    public long? Seed { get; init; }

    /// <summary>
    /// How real-time audio travels: <see cref="WireAudioFormats.Pcm16"/> (default, absent) or <see cref="WireAudioFormats.Opus"/>
    /// (20 ms Opus packets; PROTOCOL.md "Opus audio"). It changes only the wire, never the audio kept in history.
    /// </summary>
    [Key("audioFormat")]
    public string? AudioFormat { get; init; }
}
