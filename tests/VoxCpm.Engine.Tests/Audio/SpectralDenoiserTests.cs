using VoxCpm.Engine.Audio;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Audio;

public class SpectralDenoiserTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(16000)]
    [InlineData(44100)]
    public void White_noise_drops_and_the_tone_is_kept(int sampleRate)
    {
        // A tone with pauses (as speech has) under stationary white noise.
        int n = sampleRate * 3;
        float[] clean = TestWav.Sine(sampleRate, 440, 0.3, n);
        for (int i = 0; i < n; i++)
        {
            if (i < n / 5 || i > n * 4 / 5)
            {
                clean[i] = 0;
            }
        }

        float[] noisy = AddWhiteNoise(clean, 0.05, seed: 11);
        var denoiser = new SpectralDenoiser(new DenoiseOptions { NormalizeLoudness = false });

        float[] denoised = denoiser.Process(noisy, sampleRate);

        (double snrIn, _) = Snr(clean, noisy);
        (double snrOut, double toneScale) = Snr(clean, denoised);
        output.WriteLine($"{sampleRate} Hz: SNR {snrIn:0.00} dB -> {snrOut:0.00} dB, tone scale {toneScale:0.000}");
        Assert.True(snrOut - snrIn >= 6, $"SNR {snrIn:0.0} dB -> {snrOut:0.0} dB");
        Assert.InRange(toneScale, 0.9, 1.05);
    }

    [Fact]
    public void Loudness_is_normalised_to_minus_20_lufs_by_default()
    {
        float[] noisy = AddWhiteNoise(TestWav.Sine(16000, 997, 0.05, 32000), 0.005, seed: 5);

        float[] output = new SpectralDenoiser().Process(noisy, 16000);

        Assert.Equal(-20, LoudnessMeter.IntegratedLoudness(output, 16000), 0.2);
    }

    [Fact]
    public void Silence_stays_silent()
    {
        float[] output = new SpectralDenoiser().Process(new float[5000], 16000);

        Assert.All(output, s => Assert.Equal(0f, s));
        Assert.Empty(new SpectralDenoiser().Process([], 16000));
    }

    [Fact]
    public void A_full_scale_997_hz_sine_reads_minus_3_lufs()
    {
        // BS.1770-4 calibration: a 0 dBFS 997 Hz sine in one channel measures −3.01 LKFS.
        Assert.Equal(-3.01, LoudnessMeter.IntegratedLoudness(TestWav.Sine(48000, 997, 1.0, 48000 * 2), 48000), 0.05);
        Assert.Equal(-3.01, LoudnessMeter.IntegratedLoudness(TestWav.Sine(16000, 997, 1.0, 16000 * 2), 16000), 0.1);
        Assert.Equal(-23.01, LoudnessMeter.IntegratedLoudness(TestWav.Sine(44100, 997, 0.1, 44100 * 2), 44100), 0.1);
        Assert.Equal(double.NegativeInfinity, LoudnessMeter.IntegratedLoudness(new float[16000], 16000));
    }

    [Fact]
    public void Normalisation_never_pushes_the_peak_past_full_scale()
    {
        // A sparse click train is quiet by loudness but has full-scale peaks.
        float[] clicks = new float[16000];
        for (int i = 0; i < clicks.Length; i += 4000)
        {
            clicks[i] = 0.9f;
        }

        LoudnessMeter.NormalizeInPlace(clicks, 16000, -20);

        Assert.Equal(1f, clicks.Max(), 1e-6f);
    }

    private static float[] AddWhiteNoise(float[] clean, double sigma, int seed)
    {
        var rng = new Random(seed);
        float[] noisy = new float[clean.Length];
        for (int i = 0; i < clean.Length; i++)
        {
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            noisy[i] = clean[i] + (float)(sigma * gaussian);
        }

        return noisy;
    }

    /// <summary>SNR of <paramref name="signal"/> against the best-scaled clean reference, and that scale.</summary>
    private static (double SnrDb, double Scale) Snr(float[] clean, float[] signal)
    {
        double dot = 0, cleanPower = 0;
        for (int i = 0; i < clean.Length; i++)
        {
            dot += (double)clean[i] * signal[i];
            cleanPower += (double)clean[i] * clean[i];
        }

        double scale = dot / cleanPower;
        double errorPower = 0;
        for (int i = 0; i < clean.Length; i++)
        {
            double e = signal[i] - (scale * clean[i]);
            errorPower += e * e;
        }

        return (10 * Math.Log10(scale * scale * cleanPower / errorPower), scale);
    }
}
