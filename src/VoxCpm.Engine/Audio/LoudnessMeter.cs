namespace VoxCpm.Engine.Audio;

/// <summary>
/// Integrated loudness of a mono signal per ITU-R BS.1770-4: K-weighting (the standard's high-shelf pre-filter and
/// RLB high-pass, re-derived for any sample rate as libebur128 does), 400 ms blocks every 100 ms, absolute gate
/// −70 LUFS, relative gate −10 LU. Signals shorter than one block are measured as a single block.
/// </summary>
internal static class LoudnessMeter
{
    private const double AbsoluteGateLufs = -70;
    private const double RelativeGateLu = -10;

    /// <summary>Loudness in LUFS, or <see cref="double.NegativeInfinity"/> when nothing passes the absolute gate.</summary>
    public static double IntegratedLoudness(ReadOnlySpan<float> samples, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (samples.IsEmpty)
        {
            return double.NegativeInfinity;
        }

        // Squared K-weighted samples, summed per 100 ms step so each 400 ms block is four consecutive steps.
        int step = Math.Max(1, sampleRate / 10);
        int steps = Math.Max(1, samples.Length / step);
        double[] stepEnergy = new double[steps];
        var shelf = Biquad.KWeightingShelf(sampleRate);
        var highPass = Biquad.KWeightingHighPass(sampleRate);
        for (int i = 0; i < samples.Length; i++)
        {
            double y = highPass.Process(shelf.Process(samples[i]));
            stepEnergy[Math.Min(i / step, steps - 1)] += y * y;
        }

        int blocks = Math.Max(1, steps - 3);
        int stepsPerBlock = Math.Min(4, steps);
        double[] blockPower = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            double sum = 0;
            for (int s = 0; s < stepsPerBlock; s++)
            {
                sum += stepEnergy[b + s];
            }

            int blockSamples = steps < 4 ? samples.Length : stepsPerBlock * step;
            blockPower[b] = sum / blockSamples;
        }

        double absoluteGate = Power(AbsoluteGateLufs);
        double relativeGate = Power(Lufs(MeanAbove(blockPower, absoluteGate)) + RelativeGateLu);
        return Lufs(MeanAbove(blockPower, Math.Max(absoluteGate, relativeGate)));
    }

    /// <summary>Scales <paramref name="samples"/> in place to <paramref name="targetLufs"/>, lowering the gain if
    /// the peak would pass full scale. Returns the applied gain (1 for silence).</summary>
    public static float NormalizeInPlace(Span<float> samples, int sampleRate, double targetLufs)
    {
        double loudness = IntegratedLoudness(samples, sampleRate);
        if (double.IsNegativeInfinity(loudness))
        {
            return 1;
        }

        float peak = 0;
        foreach (float s in samples)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }

        float gain = (float)Math.Min(Math.Pow(10, (targetLufs - loudness) / 20), 1.0 / peak);
        foreach (ref float s in samples)
        {
            s *= gain;
        }

        return gain;
    }

    private static double MeanAbove(double[] blockPower, double gate)
    {
        double sum = 0;
        int count = 0;
        foreach (double p in blockPower)
        {
            if (p > gate)
            {
                sum += p;
                count++;
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    private static double Lufs(double power) => power <= 0 ? double.NegativeInfinity : -0.691 + (10 * Math.Log10(power));

    private static double Power(double lufs) => Math.Pow(10, (lufs + 0.691) / 10);

    /// <summary>Direct-form-I biquad in double precision.</summary>
    private struct Biquad(double b0, double b1, double b2, double a1, double a2)
    {
        private double _x1, _x2, _y1, _y2;

        public static Biquad KWeightingShelf(int sampleRate)
        {
            const double f0 = 1681.974450955533, gainDb = 3.999843853973347, q = 0.7071752369554196;
            double k = Math.Tan(Math.PI * f0 / sampleRate);
            double vh = Math.Pow(10, gainDb / 20);
            double vb = Math.Pow(vh, 0.4996667741545416);
            double a0 = 1 + (k / q) + (k * k);
            return new Biquad((vh + (vb * k / q) + (k * k)) / a0, 2 * ((k * k) - vh) / a0, (vh - (vb * k / q) + (k * k)) / a0,
                2 * ((k * k) - 1) / a0, (1 - (k / q) + (k * k)) / a0);
        }

        public static Biquad KWeightingHighPass(int sampleRate)
        {
            const double f0 = 38.13547087602444, q = 0.5003270373238773;
            double k = Math.Tan(Math.PI * f0 / sampleRate);
            double a0 = 1 + (k / q) + (k * k);
            return new Biquad(1, -2, 1, 2 * ((k * k) - 1) / a0, (1 - (k / q) + (k * k)) / a0);
        }

        public double Process(double x)
        {
            double y = (b0 * x) + (b1 * _x1) + (b2 * _x2) - (a1 * _y1) - (a2 * _y2);
            (_x2, _x1, _y2, _y1) = (_x1, x, _y1, y);
            return y;
        }
    }
}
