namespace VoxCpm.Engine.Generation;

/// <summary>
/// What the runaway guard reads from one block of audio (one patch), in a single pass and without allocating:
/// its loudness, how often it crosses zero, and how white its spectrum is. Whiteness is measured through the
/// normalised autocorrelation at lags 1..<see cref="Lags"/>: a flat spectrum has none (Wiener–Khinchin), while
/// voiced speech, tones and hum are strongly correlated at short lags, so the sum of their squares stays large.
/// </summary>
internal readonly record struct AudioBlockFeatures(float Rms, float ZeroCrossingRate, float Correlation)
{
    /// <summary>Autocorrelation lags summed; no periodic signal is uncorrelated at all four at once.</summary>
    public const int Lags = 4;

    /// <summary>Louder than this (about −26 dBFS) counts as loud enough to be noise rather than a quiet hiss.</summary>
    public const float NoiseRms = 0.05f;

    /// <summary>White noise crosses zero on about half the samples; speech and tones far less often.</summary>
    public const float NoiseZeroCrossingRate = 0.3f;

    /// <summary>
    /// Σ r(k)² for k = 1..4 below this is spectrally flat: white noise gives about 4/N (0.006 for a 640-sample
    /// patch), voiced speech well above 0.5, a pure tone at least 1.
    /// </summary>
    public const float NoiseCorrelation = 0.05f;

    /// <summary>Loud, crossing zero as often as noise and spectrally flat: one block of what the guard calls noise.</summary>
    public bool IsNoise => Rms >= NoiseRms && ZeroCrossingRate >= NoiseZeroCrossingRate && Correlation <= NoiseCorrelation;

    public static AudioBlockFeatures Measure(ReadOnlySpan<float> audio)
    {
        if (audio.Length <= Lags)
        {
            return default;
        }

        double energy = 0, lag1 = 0, lag2 = 0, lag3 = 0, lag4 = 0;
        int crossings = 0;
        for (int n = 0; n < audio.Length; n++)
        {
            double x = audio[n];
            energy += x * x;
            if (n >= 1)
            {
                lag1 += x * audio[n - 1];
                crossings += (audio[n] >= 0) != (audio[n - 1] >= 0) ? 1 : 0;
            }

            if (n >= 2)
            {
                lag2 += x * audio[n - 2];
            }

            if (n >= 3)
            {
                lag3 += x * audio[n - 3];
            }

            if (n >= 4)
            {
                lag4 += x * audio[n - 4];
            }
        }

        float rms = (float)Math.Sqrt(energy / audio.Length);
        float zcr = (float)crossings / (audio.Length - 1);
        if (energy <= 0)
        {
            return new AudioBlockFeatures(rms, zcr, Lags);
        }

        double r1 = lag1 / energy, r2 = lag2 / energy, r3 = lag3 / energy, r4 = lag4 / energy;
        return new AudioBlockFeatures(rms, zcr, (float)((r1 * r1) + (r2 * r2) + (r3 * r3) + (r4 * r4)));
    }
}
