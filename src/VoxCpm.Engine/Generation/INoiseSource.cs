namespace VoxCpm.Engine.Generation;

/// <summary>
/// The only randomness of VoxCPM inference: the initial state z ~ N(0, 1) of each patch's flow-matching solve,
/// drawn fresh for every patch in step order. Injectable so parity tests replay the reference's draws.
/// </summary>
public interface INoiseSource
{
    /// <summary>Fills one patch's noise, laid out [feat_dim, patch_size] (channel-major, as torch draws it).</summary>
    void NextPatch(Span<float> destination);
}

/// <summary>Creates the noise source of one generation attempt.</summary>
public interface INoiseSourceFactory
{
    /// <summary>Noise for attempt <paramref name="attempt"/> (0-based) of a request seeded with <paramref name="seed"/>.</summary>
    INoiseSource Create(long seed, int attempt);
}
