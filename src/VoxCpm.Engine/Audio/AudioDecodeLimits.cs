namespace VoxCpm.Engine.Audio;

/// <summary>Bounds checked before any sample buffer is allocated.</summary>
/// <param name="MaxBytes">Largest accepted file, in bytes.</param>
/// <param name="MaxDuration">Longest accepted audio.</param>
public sealed record AudioDecodeLimits(long MaxBytes, TimeSpan MaxDuration)
{
    /// <summary>Generous defaults for a voice prompt: 50 MB and 5 minutes.</summary>
    public static AudioDecodeLimits Default { get; } = new(50L * 1024 * 1024, TimeSpan.FromMinutes(5));
}
