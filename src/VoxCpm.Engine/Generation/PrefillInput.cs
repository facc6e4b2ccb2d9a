using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// One request's model input for its prefill (model doc §4.1): a text id per position (0 at audio positions), the audio
/// features per position <c>[T, P, feat_dim]</c> (zeros at text positions), and 1 at prompt-audio positions.
/// </summary>
internal sealed record PrefillInput(long[] Ids, HostTensor<float> Feats, byte[] AudioMask)
{
    /// <summary>Positions the prefill writes to the KV caches.</summary>
    public int Length => Ids.Length;

    public bool HasAudio => AudioMask.AsSpan().IndexOfAnyExcept((byte)0) >= 0;
}
