namespace VoxCpm.Hub.Contracts;

/// <summary>
/// One text-to-speech request. The same model serves the raw <c>/tts</c> WebSocket, the SignalR hub, the HTTP API and
/// background jobs; <see cref="SynthesisRequestValidator"/> is its only validator.
/// </summary>
public sealed record SynthesisRequest
{
    /// <summary>Text to synthesize (required).</summary>
    public string Text { get; init; } = "";

    /// <summary>Streaming (default) or non-streaming.</summary>
    public SynthesisMode Mode { get; init; } = SynthesisMode.Streaming;

    /// <summary>URL of reference audio for voice cloning (http/https, public hosts only).</summary>
    public string? PromptWavUrl { get; init; }

    /// <summary>Transcript of the reference audio; required with <see cref="PromptWavUrl"/> or uploaded audio.</summary>
    public string? PromptText { get; init; }

    /// <summary>A saved voice to clone instead of a URL.</summary>
    public Guid? VoiceId { get; init; }

    /// <summary>Classifier-free guidance strength.</summary>
    public double CfgValue { get; init; } = SynthesisDefaults.CfgValue;

    /// <summary>Flow-matching solver steps per patch.</summary>
    public int InferenceTimesteps { get; init; } = SynthesisDefaults.InferenceTimesteps;

    /// <summary>Expand numbers, dates, units and symbols into words before tokenization.</summary>
    public bool Normalize { get; init; }

    /// <summary>Clean the reference audio before it is encoded.</summary>
    public bool Denoise { get; init; }

    /// <summary>Re-run a non-streaming synthesis whose audio is implausibly long for its text.</summary>
    public bool RetryBadcase { get; init; } = true;

    /// <summary>Makes a synthesis repeatable; random when absent.</summary>
    public long? Seed { get; init; }
}
