namespace VoxCpm.Hub.Data.Entities;

/// <summary>
/// A saved voice encoded by one model: little-endian float32 latent patches and their shape. Kept per model, so
/// switching between checkpoints (a 0.5B and a VoxCPM2 node on one database) never re-encodes back and forth.
/// </summary>
public sealed class VoiceEncoding
{
    public Guid VoiceId { get; set; }

    /// <summary>The model the latents belong to (name plus the shape facts that make latents incompatible).</summary>
    public required string ModelId { get; set; }

    public required byte[] Latents { get; set; }

    public required int[] Shape { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
