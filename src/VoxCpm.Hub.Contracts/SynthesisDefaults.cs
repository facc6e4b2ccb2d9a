namespace VoxCpm.Hub.Contracts;

/// <summary>Defaults and hard limits of every synthesis parameter, in one place (the seed README's table).</summary>
public static class SynthesisDefaults
{
    public const double CfgValue = 2.0;
    public const double MinCfgValue = 0.1;
    public const double MaxCfgValue = 10.0;

    public const int InferenceTimesteps = 10;
    public const int MinInferenceTimesteps = 1;
    public const int MaxInferenceTimesteps = 50;

    /// <summary>Default of the configurable text limit (TTS_MAX_TEXT_LENGTH).</summary>
    public const int MaxTextLength = 2000;

    public const int MaxPromptTextLength = 1000;

    /// <summary>Longest voice description (VoxCPM2 voice design); it also counts against the text limit.</summary>
    public const int MaxVoiceDescriptionLength = 500;
    public const int MaxUrlLength = 2048;
    public const int MaxRequestIdLength = 128;
}
