using System.Buffers;

namespace VoxCpm.Engine.Audio;

/// <summary>
/// Classical stationary-noise suppression for <c>denoise=true</c>, standing in for the official ZipEnhancer
/// (a neural model we do not ship).
/// </summary>
/// <remarks>
/// <para>Method: STFT with a periodic Hann window (~32 ms, 75 % overlap). The noise power spectrum is the mean
/// spectrum of the quietest <see cref="DenoiseOptions.NoiseFrameFraction"/> of the frames (by windowed energy).
/// Each bin gets a Wiener gain ξ/(1+ξ) whose a-priori SNR ξ is tracked with the decision-directed rule of
/// Ephraim and Malah (1984), floored at <see cref="DenoiseOptions.GainFloorDb"/>; the frames are resynthesised by
/// weighted overlap-add (Hann analysis and synthesis, normalised by the summed squared window). Then, like the
/// official path, loudness is normalised to −20 LUFS (<see cref="LoudnessMeter"/>), limited so the peak stays at or
/// below full scale.</para>
/// <para>Limits: it removes stationary noise only (hiss, hum, fans); babble, music, reverberation and clicks pass.
/// The noise profile needs pauses: when under ~10 % of the clip is free of speech, speech itself is taken for
/// noise and attenuated. Phase is kept, so strong noise leaves a faint "musical" residue. It is not ZipEnhancer:
/// outputs (and hence cloned voices) differ from the official ones.</para>
/// </remarks>
internal sealed class SpectralDenoiser(DenoiseOptions? options = null)
{
    private readonly DenoiseOptions _options = options ?? new DenoiseOptions();

    public float[] Process(ReadOnlySpan<float> input, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        float[] output = new float[input.Length];
        if (input.IsEmpty)
        {
            return output;
        }

        var stft = new StftLayout(sampleRate, _options.FrameSeconds, input.Length);
        float[] noise = EstimateNoise(input, stft);
        Suppress(input, stft, noise, output);
        if (_options.NormalizeLoudness)
        {
            LoudnessMeter.NormalizeInPlace(output, sampleRate, _options.TargetLufs);
        }

        return output;
    }

    private float[] EstimateNoise(ReadOnlySpan<float> input, StftLayout stft)
    {
        float[] energy = ArrayPool<float>.Shared.Rent(stft.Frames);
        float[] re = ArrayPool<float>.Shared.Rent(stft.Size);
        float[] im = ArrayPool<float>.Shared.Rent(stft.Size);
        float[] noise = new float[stft.Bins];
        try
        {
            for (int f = 0; f < stft.Frames; f++)
            {
                energy[f] = stft.WindowedEnergy(input, f);
            }

            int quiet = Math.Clamp((int)Math.Ceiling(stft.Frames * _options.NoiseFrameFraction), 1, stft.Frames);
            float[] sorted = energy[..stft.Frames];
            Array.Sort(sorted);
            float threshold = sorted[quiet - 1];
            int used = 0;
            for (int f = 0; f < stft.Frames && used < quiet; f++)
            {
                if (energy[f] > threshold)
                {
                    continue;
                }

                stft.Analyze(input, f, re, im);
                for (int k = 0; k < stft.Bins; k++)
                {
                    noise[k] += (re[k] * re[k]) + (im[k] * im[k]);
                }

                used++;
            }

            for (int k = 0; k < stft.Bins; k++)
            {
                // A tiny floor keeps the SNR finite on digital silence.
                noise[k] = Math.Max(noise[k] / used, 1e-12f);
            }

            return noise;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(energy);
            ArrayPool<float>.Shared.Return(re);
            ArrayPool<float>.Shared.Return(im);
        }
    }

    private void Suppress(ReadOnlySpan<float> input, StftLayout stft, float[] noise, float[] output)
    {
        float[] re = ArrayPool<float>.Shared.Rent(stft.Size);
        float[] im = ArrayPool<float>.Shared.Rent(stft.Size);
        float[] previousCleanSnr = ArrayPool<float>.Shared.Rent(stft.Bins);
        float[] windowSum = ArrayPool<float>.Shared.Rent(input.Length);
        try
        {
            Array.Clear(previousCleanSnr, 0, stft.Bins);
            Array.Clear(windowSum, 0, input.Length);
            float alpha = (float)_options.PriorSnrSmoothing;
            float floor = (float)Math.Pow(10, _options.GainFloorDb / 20);
            for (int f = 0; f < stft.Frames; f++)
            {
                stft.Analyze(input, f, re, im);
                for (int k = 0; k < stft.Bins; k++)
                {
                    float posteriorSnr = ((re[k] * re[k]) + (im[k] * im[k])) / noise[k];
                    float priorSnr = (alpha * previousCleanSnr[k]) + ((1 - alpha) * Math.Max(posteriorSnr - 1, 0));
                    float gain = Math.Max(priorSnr / (1 + priorSnr), floor);
                    previousCleanSnr[k] = gain * gain * posteriorSnr;
                    re[k] *= gain;
                    im[k] *= gain;
                    if (k > 0 && k < stft.Size - k)
                    {
                        re[stft.Size - k] = re[k];
                        im[stft.Size - k] = -im[k];
                    }
                }

                stft.SynthesizeAdd(re, im, f, output, windowSum);
            }

            for (int i = 0; i < output.Length; i++)
            {
                output[i] = windowSum[i] > 1e-6f ? output[i] / windowSum[i] : 0;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(re);
            ArrayPool<float>.Shared.Return(im);
            ArrayPool<float>.Shared.Return(previousCleanSnr);
            ArrayPool<float>.Shared.Return(windowSum);
        }
    }
}
