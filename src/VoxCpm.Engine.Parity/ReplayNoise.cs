using VoxCpm.Engine.Generation;

namespace VoxCpm.Engine.Parity;

/// <summary>Replays a fixture's recorded noise draws (<c>noise</c> [n, 1, 64, P] with <c>noise_attempt</c> [n]).</summary>
internal sealed class ReplayNoise(float[] draws, long[] attempts, int patchValues) : INoiseSourceFactory
{
    public INoiseSource Create(long seed, int attempt)
    {
        var mine = new Queue<int>();
        for (int k = 0; k < attempts.Length; k++)
        {
            if (attempts[k] == attempt)
            {
                mine.Enqueue(k);
            }
        }

        return new Source(draws, mine, patchValues, attempt);
    }

    private sealed class Source(float[] draws, Queue<int> indices, int patchValues, int attempt) : INoiseSource
    {
        public void NextPatch(Span<float> destination)
        {
            if (!indices.TryDequeue(out int k))
            {
                throw new InvalidOperationException($"The engine drew more noise than the reference did in attempt {attempt}.");
            }

            draws.AsSpan(k * patchValues, patchValues).CopyTo(destination);
        }
    }
}
