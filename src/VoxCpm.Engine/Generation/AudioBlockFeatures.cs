using System.Numerics;

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

        // Every stream's every patch passes through here on the loop thread, so the sums run SIMD-wide.
        double energy = Dot(audio, audio);
        double lag1 = Dot(audio[1..], audio);
        double lag2 = Dot(audio[2..], audio);
        double lag3 = Dot(audio[3..], audio);
        double lag4 = Dot(audio[4..], audio);
        int crossings = SignChanges(audio);
        float rms = (float)Math.Sqrt(energy / audio.Length);
        float zcr = (float)crossings / (audio.Length - 1);
        if (energy <= 0)
        {
            return new AudioBlockFeatures(rms, zcr, Lags);
        }

        double r1 = lag1 / energy, r2 = lag2 / energy, r3 = lag3 / energy, r4 = lag4 / energy;
        return new AudioBlockFeatures(rms, zcr, (float)((r1 * r1) + (r2 * r2) + (r3 * r3) + (r4 * r4)));
    }

    /// <summary>Σ a[i]·b[i] over a's length (b is at least as long).</summary>
    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int width = Vector<float>.Count;
        var sums = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - width; i += width)
        {
            sums += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        double sum = Vector.Sum(sums);
        for (; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    /// <summary>How many neighbours differ in sign (x ≥ 0 or not).</summary>
    private static int SignChanges(ReadOnlySpan<float> audio)
    {
        var current = audio[1..];
        int width = Vector<float>.Count;
        var counts = Vector<int>.Zero;
        int i = 0;
        for (; i <= current.Length - width; i += width)
        {
            var here = Vector.GreaterThanOrEqual(new Vector<float>(current[i..]), Vector<float>.Zero);
            var before = Vector.GreaterThanOrEqual(new Vector<float>(audio[i..]), Vector<float>.Zero);
            counts -= Vector.Xor(here, before); // all bits set (−1) where the signs differ
        }

        int changes = Vector.Sum(counts);
        for (; i < current.Length; i++)
        {
            changes += (current[i] >= 0) != (audio[i] >= 0) ? 1 : 0;
        }

        return changes;
    }
}
