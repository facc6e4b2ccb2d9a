using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Audio;

/// <summary>
/// The official prompt preparation before the AudioVAE encoder (<c>build_prompt_cache</c>): decode, average
/// channels to mono, resample to the model rate (<see cref="SincResampler"/>, torchaudio's kernel), optionally
/// denoise, then left-pad with zeros to a multiple of <c>patch_size · hop</c> so the real audio ends the sequence.
/// </summary>
/// <remarks>The official pipeline denoises the file before loading it (ZipEnhancer at 16 kHz); here the classical
/// <see cref="SpectralDenoiser"/> runs at the model rate after resampling, which avoids band-limiting 44.1 kHz
/// prompts to 8 kHz.</remarks>
internal sealed class ReferenceAudioPreprocessor
{
    private readonly SpectralDenoiser _denoiser;

    public ReferenceAudioPreprocessor(int modelSampleRate, int patchSamples, SpectralDenoiser? denoiser = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelSampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSamples);
        ModelSampleRate = modelSampleRate;
        PatchSamples = patchSamples;
        _denoiser = denoiser ?? new SpectralDenoiser();
    }

    public int ModelSampleRate { get; }

    /// <summary>patch_size × VAE hop: the prompt length is padded to a multiple of this.</summary>
    public int PatchSamples { get; }

    public static ReferenceAudioPreprocessor ForModel(VoxCpmConfig config, SpectralDenoiser? denoiser = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ReferenceAudioPreprocessor(config.SampleRate, config.PatchSamples, denoiser);
    }

    /// <summary>
    /// The AudioVAE encoder input (mono, model rate, zero-padded to whole patches) for a WAV file's bytes: padded on the
    /// left for a continuation prompt (real audio ends where generation starts), on the right for VoxCPM2 reference audio.
    /// </summary>
    public float[] Prepare(ReadOnlySpan<byte> wavFile, AudioDecodeLimits limits, bool denoise, bool padLeft = true) =>
        Prepare(AudioDecoder.Decode(wavFile, limits), denoise, padLeft);

    public float[] Prepare(DecodedAudio audio, bool denoise, bool padLeft = true)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.Samples.Length == 0)
        {
            throw new AudioFormatException(AudioRejection.Malformed, "the prompt audio has no samples");
        }

        float[] atModelRate = SincResampler.Resample(audio.Samples, audio.SampleRate, ModelSampleRate);
        ReadOnlySpan<float> prompt = denoise ? _denoiser.Process(atModelRate, ModelSampleRate) : atModelRate;
        int remainder = prompt.Length % PatchSamples;
        int padding = remainder == 0 ? 0 : PatchSamples - remainder;
        float[] padded = new float[padding + prompt.Length];
        prompt.CopyTo(padded.AsSpan(padLeft ? padding : 0));
        return padded;
    }
}
