namespace VoxCpm.Engine.Generation;

/// <summary>
/// Production noise: standard normal samples from xoshiro256** with a Box–Muller transform. The same seed gives the
/// same audio whatever the batch composition, because each request owns its generator. Retry attempt k uses
/// seed + k, as the official implementation re-seeds each attempt.
/// </summary>
public sealed class GaussianNoiseSource : INoiseSource
{
    private Tensors.Xoshiro256StarStar _random;
    private float _spare;
    private bool _hasSpare;

    public GaussianNoiseSource(long seed)
    {
        _random = new Tensors.Xoshiro256StarStar(unchecked((ulong)seed));
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
            u1 = _random.NextDouble();
        }
        while (u1 <= double.Epsilon);
        double u2 = _random.NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = (float)(radius * Math.Sin(angle));
        _hasSpare = true;
        return (float)(radius * Math.Cos(angle));
    }

    private sealed class SeededFactory : INoiseSourceFactory
    {
        public INoiseSource Create(long seed, int attempt) => new GaussianNoiseSource(unchecked(seed + attempt));
    }
}
