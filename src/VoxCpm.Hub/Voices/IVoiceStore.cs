using VoxCpm.Engine.Generation;

namespace VoxCpm.Hub.Voices;

/// <summary>Saved voices: a recording, its transcript when it has one, and the latents each model encoded (cached, so a saved voice costs no re-encoding).</summary>
public interface IVoiceStore
{
    /// <summary>
    /// A saved voice encoded for the loaded model, or null when no such voice exists. Refuses (naming
    /// <c>voice_id</c>) a voice saved from reference audio alone when the loaded model cannot use reference audio.
    /// </summary>
    Task<SavedVoice?> GetEncodedAsync(Guid voiceId, CancellationToken cancellationToken);
}

/// <summary>
/// A saved voice as the loaded model uses it: a prompt the model continues (the voice has a transcript), or
/// reference audio for VoxCPM2's controllable cloning (it has none). Exactly one of the two is set.
/// </summary>
public sealed record SavedVoice(VoicePrompt? Prompt, VoiceReference? Reference);
