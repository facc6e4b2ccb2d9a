namespace VoxCpm.Engine.Generation;

/// <summary>How streamed audio chunks are decoded from latents.</summary>
public enum StreamingDecodeMode
{
    /// <summary>
    /// The VAE keeps every causal layer's history, so concatenated chunks are identical to a one-shot decode of the
    /// same latents (the server's default).
    /// </summary>
    Exact,

    /// <summary>
    /// The reference implementation's approximation: decode the last ≤ 3 patches and emit the newest patch's
    /// samples. Used to reproduce the official streaming outputs.
    /// </summary>
    OfficialWindow,
}
