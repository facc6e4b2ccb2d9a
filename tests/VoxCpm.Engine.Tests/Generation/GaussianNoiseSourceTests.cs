using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>A seed's noise is the Box–Muller transform of its xoshiro256** stream, value for value (so a seed keeps its audio).</summary>
public class GaussianNoiseSourceTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(42L)]
    [InlineData(-7L)]
    public void Draws_are_the_box_muller_pairs_of_the_seeds_uniform_stream(long seed)
    {
        var source = new GaussianNoiseSource(seed);
        var uniform = new Xoshiro256StarStar(unchecked((ulong)seed));
        for (int pair = 0; pair < 50_000; pair++)
        {
            double u1;
            do
            {
                u1 = uniform.NextDouble();
            }
            while (u1 <= double.Epsilon);
            double u2 = uniform.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double angle = 2.0 * Math.PI * u2;

            Assert.Equal((float)(radius * Math.Cos(angle)), source.NextGaussian());
            Assert.Equal((float)(radius * Math.Sin(angle)), source.NextGaussian());
        }
    }
}
