using VoxCpm.Engine.Generation;

namespace VoxCpm.Hub.Voices;

/// <summary>Saved voices: reference audio, transcript and the encoded prompt latents (cached, so a saved voice costs no re-encoding).</summary>
public interface IVoiceStore
{
    /// <summary>The encoded prompt of a saved voice, or null when no such voice exists.</summary>
    Task<VoicePrompt?> GetPromptAsync(Guid voiceId, CancellationToken cancellationToken);
}
