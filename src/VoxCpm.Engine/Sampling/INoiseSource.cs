namespace VoxCpm.Engine.Sampling;

/// <summary>Where the initial CFM state z comes from: one standard-normal draw of <c>[P, D]</c> per generated patch.</summary>
internal interface INoiseSource
{
    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) samples.</summary>
    void Fill(Span<float> destination);
}

/// <summary>Seeded standard-normal noise (Box–Muller over <see cref="Random"/>), reproducible per seed.</summary>
internal sealed class GaussianNoiseSource(int seed) : INoiseSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i += 2)
        {
            double u1 = 1.0 - _random.NextDouble();
            double u2 = _random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            destination[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }
    }
}
