using VoxCpm.Audio.Codecs;
using VoxCpm.Engine;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Hub.Audio;

/// <summary>
/// Reference audio bytes of any accepted format → a voice prompt: decoded by <see cref="ReferenceAudioReader"/>
/// (the engine itself reads only WAV and never depends on the codec libraries), then resampled and encoded by the
/// engine. Used by <c>prompt_wav_url</c> and saved voices alike, so every reference-audio field reads the same formats.
/// </summary>
internal sealed class ReferenceVoiceEncoder(ReferenceAudioReader reader)
{
    /// <summary>Decodes <paramref name="file"/> within the engine's reference limits; refusals are <see cref="AudioFormatException"/>.</summary>
    public Task<DecodedAudio> DecodeAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken) =>
        reader.DecodeAsync(file, VoxCpmEngine.ReferenceAudioLimits, cancellationToken);

    /// <summary>Decodes and encodes; a file the reader refuses surfaces as the engine's <see cref="SynthesisException"/>, like an unusable WAV did.</summary>
    public async Task<VoicePrompt> EncodeAsync(VoxCpmEngine engine, ReadOnlyMemory<byte> file, string transcript, bool denoise, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        DecodedAudio audio;
        try
        {
            audio = await DecodeAsync(file, cancellationToken);
        }
        catch (AudioFormatException e)
        {
            throw new SynthesisException("prompt_audio_invalid", "The reference audio cannot be used: " + e.Message, e);
        }

        return engine.EncodeVoice(audio, transcript, denoise);
    }

    /// <summary>VoxCPM2 reference audio (no transcript): decoded and encoded like <see cref="EncodeAsync"/>.</summary>
    public async Task<VoiceReference> EncodeReferenceAsync(VoxCpmEngine engine, ReadOnlyMemory<byte> file, bool denoise, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        DecodedAudio audio;
        try
        {
            audio = await DecodeAsync(file, cancellationToken);
        }
        catch (AudioFormatException e)
        {
            throw new SynthesisException("prompt_audio_invalid", "The reference audio cannot be used: " + e.Message, e);
        }

        return engine.EncodeReference(audio, denoise);
    }
}
