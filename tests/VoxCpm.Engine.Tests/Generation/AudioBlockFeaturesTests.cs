using VoxCpm.Engine.Generation;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>The noise detector on synthetic signals: white noise is noise; tones, speech-like signals and silence are not.</summary>
public sealed class AudioBlockFeaturesTests
{
    private const int SampleRate = 16_000;
    private const int Block = 640;

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.9)]
    public void Loud_white_noise_is_noise(double amplitude)
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var block = new float[Block];
            for (int n = 0; n < Block; n++)
            {
                block[n] = (float)(amplitude * ((random.NextDouble() * 2) - 1));
            }

            var features = AudioBlockFeatures.Measure(block);
            Assert.True(features.IsNoise, $"trial {trial}: {features}");
        }
    }

    [Theory]
    [InlineData(50)]
    [InlineData(220)]
    [InlineData(1000)]
    [InlineData(4000)] // r(1) = 0 here: the other lags must catch it
    [InlineData(5333)]
    [InlineData(7000)]
    [InlineData(7900)]
    public void A_loud_tone_is_not_noise(double frequency)
    {
        var block = new float[Block];
        for (int n = 0; n < Block; n++)
        {
            block[n] = (float)(0.8 * Math.Sin((2 * Math.PI * frequency * n / SampleRate) + 0.3));
        }

        var features = AudioBlockFeatures.Measure(block);
        Assert.False(features.IsNoise, features.ToString());
    }

    [Fact]
    public void A_speech_like_signal_is_not_noise()
    {
        // A voiced sound: a 120 Hz glottal pulse train through two formant-like resonances, with a little breath noise.
        var random = new Random(3);
        var block = new float[Block * 10];
        double y1 = 0, y2 = 0, z1 = 0, z2 = 0;
        for (int n = 0; n < block.Length; n++)
        {
            double excitation = (n % (SampleRate / 120) == 0 ? 1.0 : 0.0) + (0.02 * ((random.NextDouble() * 2) - 1));
            double y = excitation + (2 * 0.97 * Math.Cos(2 * Math.PI * 700 / SampleRate) * y1) - (0.97 * 0.97 * y2);
            y2 = y1;
            y1 = y;
            double z = y + (2 * 0.95 * Math.Cos(2 * Math.PI * 1200 / SampleRate) * z1) - (0.95 * 0.95 * z2);
            z2 = z1;
            z1 = z;
            block[n] = (float)z;
        }

        float peak = block.Max(Math.Abs);
        for (int n = 0; n < block.Length; n++)
        {
            block[n] *= 0.8f / peak;
        }

        for (int b = 0; b < 10; b++)
        {
            var features = AudioBlockFeatures.Measure(block.AsSpan(b * Block, Block));
            Assert.True(features.Rms > AudioBlockFeatures.NoiseRms, "the test signal must be loud enough to matter");
            Assert.False(features.IsNoise, $"block {b}: {features}");
        }
    }

    [Fact]
    public void Silence_and_quiet_hiss_are_not_noise()
    {
        Assert.False(AudioBlockFeatures.Measure(new float[Block]).IsNoise);

        var random = new Random(11);
        var hiss = new float[Block];
        for (int n = 0; n < Block; n++)
        {
            hiss[n] = (float)(0.01 * ((random.NextDouble() * 2) - 1));
        }

        var features = AudioBlockFeatures.Measure(hiss);
        Assert.True(features.Correlation < AudioBlockFeatures.NoiseCorrelation, "white, but too quiet to count");
        Assert.False(features.IsNoise);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(640)]
    [InlineData(1283)]
    public void Features_match_their_definition_at_any_block_length(int length)
    {
        var random = new Random(length);
        var block = new float[length];
        for (int n = 0; n < length; n++)
        {
            block[n] = (float)((random.NextDouble() * 2) - 1) * (n % 7 == 0 ? 0f : 0.5f); // exact zeros count as non-negative
        }

        var features = AudioBlockFeatures.Measure(block);

        double energy = 0;
        var lags = new double[AudioBlockFeatures.Lags + 1];
        int crossings = 0;
        for (int n = 0; n < length; n++)
        {
            energy += (double)block[n] * block[n];
            for (int k = 1; k <= AudioBlockFeatures.Lags && k <= n; k++)
            {
                lags[k] += (double)block[n] * block[n - k];
            }

            crossings += n > 0 && (block[n] >= 0) != (block[n - 1] >= 0) ? 1 : 0;
        }

        double correlation = lags.Skip(1).Sum(l => (l / energy) * (l / energy));
        Assert.Equal(Math.Sqrt(energy / length), features.Rms, 4);
        Assert.Equal((float)crossings / (length - 1), features.ZeroCrossingRate, 6);
        Assert.Equal(correlation, features.Correlation, 4);
    }
}
