using MessagePack;

namespace VoxCpm.Hub.Contracts.Hub;

/// <summary>What the UI shows about the server.</summary>
[MessagePackObject]
public sealed record ServerStatus
{
    [Key("model")]
    public string Model { get; init; } = "";

    [Key("device")]
    public string Device { get; init; } = "";

    [Key("modelState")]
    public string ModelState { get; init; } = "";

    [Key("sampleRate")]
    public int SampleRate { get; init; }

    [Key("activeStreams")]
    public int ActiveStreams { get; init; }

    [Key("queueLength")]
    public int QueueLength { get; init; }

    [Key("maxConcurrent")]
    public int MaxConcurrent { get; init; }

    /// <summary>The loaded model's architecture: "voxcpm" (0.5B / 1.5) or "voxcpm2"; empty while no model is loaded.</summary>
    [Key("architecture")]
    public string Architecture { get; init; } = "";

    /// <summary>Whether the loaded model reads <c>voiceDescription</c> (voice design) and <c>referenceWavUrl</c> (VoxCPM2).</summary>
    [Key("voxCpm2Inputs")]
    public bool VoxCpm2Inputs { get; init; }

    /// <summary>The request limits and defaults the validator applies, so that clients show them instead of copying them.</summary>
    [Key("limits")]
    public RequestLimits Limits { get; init; } = new();
}

/// <summary>What <see cref="SynthesisRequestValidator"/> accepts: the ranges and defaults of <see cref="SynthesisRequest"/>.</summary>
[MessagePackObject]
public sealed record RequestLimits
{
    [Key("cfgValue")]
    public NumberRange CfgValue { get; init; } = new() { Min = SynthesisDefaults.MinCfgValue, Max = SynthesisDefaults.MaxCfgValue, Default = SynthesisDefaults.CfgValue };

    [Key("inferenceTimesteps")]
    public NumberRange InferenceTimesteps { get; init; } = new() { Min = SynthesisDefaults.MinInferenceTimesteps, Max = SynthesisDefaults.MaxInferenceTimesteps, Default = SynthesisDefaults.InferenceTimesteps };

    /// <summary>The configured text limit (TTS_MAX_TEXT_LENGTH); a voice description counts against it too.</summary>
    [Key("maxTextLength")]
    public int MaxTextLength { get; init; } = SynthesisDefaults.MaxTextLength;

    [Key("maxPromptTextLength")]
    public int MaxPromptTextLength { get; init; } = SynthesisDefaults.MaxPromptTextLength;

    [Key("maxVoiceDescriptionLength")]
    public int MaxVoiceDescriptionLength { get; init; } = SynthesisDefaults.MaxVoiceDescriptionLength;

    [Key("maxUrlLength")]
    public int MaxUrlLength { get; init; } = SynthesisDefaults.MaxUrlLength;
}

/// <summary>A numeric parameter's accepted range (inclusive) and the value used when a request leaves it out.</summary>
[MessagePackObject]
public sealed record NumberRange
{
    [Key("min")]
    public double Min { get; init; }

    [Key("max")]
    public double Max { get; init; }

    [Key("default")]
    public double Default { get; init; }
}
