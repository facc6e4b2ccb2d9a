namespace VoxCpm.Hub.Contracts;

/// <summary>The configurable limits a request is validated against.</summary>
/// <param name="MaxTextLength">Longest accepted text in characters (TTS_MAX_TEXT_LENGTH).</param>
public sealed record SynthesisLimits(int MaxTextLength = SynthesisDefaults.MaxTextLength)
{
    public static SynthesisLimits Default { get; } = new();
}
