using VoxCpm.Engine.Audio;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Audio;

public class SincResamplerTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(44100, 16000, 1000.0)]
    [InlineData(16000, 44100, 1000.0)]
    [InlineData(48000, 16000, 3000.0)]
    [InlineData(22050, 44100, 5000.0)]
    [InlineData(8000, 16000, 440.0)]
    public void A_sine_keeps_its_frequency_and_amplitude(int from, int to, double frequency)
    {
        float[] input = TestWav.Sine(from, frequency, 0.5, from / 2);

        float[] output = SincResampler.Resample(input, from, to);

        Assert.Equal((int)Math.Ceiling((double)input.Length * to / from), output.Length);
        // Compare with the ideal sine at the new rate away from the edges (the kernel reaches ~6 periods of the cutoff).
        float[] ideal = TestWav.Sine(to, frequency, 0.5, output.Length);
        int margin = to / 50;
        double maxError = 0;
        for (int i = margin; i < output.Length - margin; i++)
        {
            maxError = Math.Max(maxError, Math.Abs(output[i] - ideal[i]));
        }

        log.WriteLine($"{from}->{to} {frequency} Hz: max error {maxError:E2}");
        Assert.True(maxError < 0.005, $"max error {maxError}");
    }

    [Fact]
    public void A_44k1_to_16k_round_trip_returns_the_signal()
    {
        float[] speechBand = Sum(TestWav.Sine(16000, 300, 0.3, 16000), TestWav.Sine(16000, 2500, 0.2, 16000, 1.0), TestWav.Sine(16000, 6000, 0.1, 16000, 2.0));

        float[] up = SincResampler.Resample(speechBand, 16000, 44100);
        float[] back = SincResampler.Resample(up, 44100, 16000);

        Assert.Equal(speechBand.Length, back.Length);
        double maxError = 0;
        for (int i = 400; i < back.Length - 400; i++)
        {
            maxError = Math.Max(maxError, Math.Abs(back[i] - speechBand[i]));
        }

        log.WriteLine($"16k -> 44.1k -> 16k: max error {maxError:E2}");
        Assert.True(maxError < 0.005, $"max error {maxError}");
    }

    [Fact]
    public void Content_above_the_new_nyquist_is_removed_not_aliased()
    {
        // 12 kHz at 44.1 kHz would alias to 4 kHz at 16 kHz; linear interpolation keeps most of it.
        float[] input = TestWav.Sine(44100, 12000, 0.5, 44100);

        float[] output = SincResampler.Resample(input, 44100, 16000);

        double rms = Math.Sqrt(output.Skip(500).SkipLast(500).Average(x => (double)x * x));
        double attenuationDb = 20 * Math.Log10(rms / (0.5 / Math.Sqrt(2)));
        log.WriteLine($"12 kHz at 44.1k -> 16k: {attenuationDb:0.0} dB");
        Assert.True(attenuationDb < -40, $"attenuation {attenuationDb:0.0} dB");
    }

    [Fact]
    public void The_polyphase_form_equals_torchaudios_padded_strided_convolution()
    {
        // torchaudio: pad (W, W + M), conv1d with the [L, 2W + M] kernel bank, stride M, interleave, cut to ⌈nL/M⌉.
        var rng = new Random(7);
        float[] input = [.. Enumerable.Range(0, 997).Select(_ => (float)(rng.NextDouble() - 0.5))];
        foreach ((int from, int to) in new[] { (44100, 16000), (16000, 44100), (24000, 16000), (16000, 22050) })
        {
            var resampler = SincResampler.Create(from, to);
            float[] actual = resampler.Process(input);

            double[] reference = TorchaudioReference(input, from, to);

            Assert.Equal(reference.Length, actual.Length);
            for (int i = 0; i < actual.Length; i++)
            {
                Assert.True(Math.Abs(reference[i] - actual[i]) < 2e-6, $"{from}->{to} sample {i}: {reference[i]} vs {actual[i]}");
            }
        }
    }

    [Fact]
    public void Equal_rates_return_the_input()
    {
        float[] input = [0.1f, 0.2f];

        Assert.Same(input, SincResampler.Resample(input, 16000, 16000));
    }

    private static double[] TorchaudioReference(float[] x, int fromRate, int toRate)
    {
        const int lowpassWidth = 6;
        int gcd = (int)System.Numerics.BigInteger.GreatestCommonDivisor(fromRate, toRate);
        int m = fromRate / gcd;
        int l = toRate / gcd;
        double baseFreq = Math.Min(m, l) * 0.99;
        int w = (int)Math.Ceiling(lowpassWidth * m / baseFreq);
        int kernelLength = (2 * w) + m;
        double[] padded = new double[x.Length + (2 * w) + m];
        for (int i = 0; i < x.Length; i++)
        {
            padded[w + i] = x[i];
        }

        int frames = ((padded.Length - kernelLength) / m) + 1;
        int target = (int)Math.Ceiling((double)l * x.Length / m);
        double[] output = new double[target];
        for (int frame = 0; frame < frames; frame++)
        {
            for (int phase = 0; phase < l; phase++)
            {
                int n = (frame * l) + phase;
                if (n >= target)
                {
                    continue;
                }

                double sum = 0;
                for (int k = 0; k < kernelLength; k++)
                {
                    double t = (((double)(k - w) / m) - ((double)phase / l)) * baseFreq;
                    t = Math.Clamp(t, -lowpassWidth, lowpassWidth);
                    double window = Math.Pow(Math.Cos(t * Math.PI / lowpassWidth / 2), 2);
                    double pt = t * Math.PI;
                    double kernel = (pt == 0 ? 1 : Math.Sin(pt) / pt) * window * baseFreq / m;
                    sum += padded[(frame * m) + k] * kernel;
                }

                output[n] = sum;
            }
        }

        return output;
    }

    private static float[] Sum(params float[][] parts)
    {
        float[] sum = new float[parts[0].Length];
        foreach (float[] part in parts)
        {
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += part[i];
            }
        }

        return sum;
    }
}
