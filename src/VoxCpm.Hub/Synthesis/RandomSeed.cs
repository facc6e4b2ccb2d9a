namespace VoxCpm.Hub.Synthesis;

/// <summary>The seed of a request that gave none. It is recorded in history, so that the entry can be re-run exactly.</summary>
internal static class RandomSeed
{
    /// <summary>
    /// Below 2^53: the web UI reads history as JavaScript numbers, which hold integers exactly only up to there, and
    /// puts the seed back into the form when it re-runs an entry.
    /// </summary>
    public const long Limit = 1L << 53;

    public static long Next() => Random.Shared.NextInt64(Limit);
}
