namespace VoxCpm.Engine.Generation;

/// <summary>
/// Production noise: standard normal samples from xoshiro256** with a Box–Muller transform. The same seed gives the
/// same audio whatever the batch composition, because each request owns its generator. Retry attempt k uses
/// seed + k, as the official implementation re-seeds each attempt.
/// </summary>
public sealed class GaussianNoiseSource : INoiseSource
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private float _spare;
    private bool _hasSpare;

    public GaussianNoiseSource(long seed)
    {
        // SplitMix64 expands the seed into the 256-bit state (never all zero).
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public static INoiseSourceFactory Factory { get; } = new SeededFactory();

    public void NextPatch(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGaussian();
        }
    }

    public float NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u1;
        do
        {
            u1 = NextDouble();
        }
        while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = (float)(radius * Math.Sin(angle));
        _hasSpare = true;
        return (float)(radius * Math.Cos(angle));
    }

    private double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private sealed class SeededFactory : INoiseSourceFactory
    {
        public INoiseSource Create(long seed, int attempt) => new GaussianNoiseSource(unchecked(seed + attempt));
    }
}
