using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace VoxCpm.Hub.History;

/// <summary>How history rows reach PostgreSQL: queue size, batch size, retry pacing and where overflow spills.</summary>
internal sealed class HistoryOptions
{
    /// <summary>
    /// Events held in memory while the database is slow or down (about four per synthesis). Large enough to ride
    /// out minutes of outage at full load; past it, events spill to <see cref="SpillDirectory"/>.
    /// </summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Events written per transaction: small, so one slow batch never holds much back.</summary>
    public int BatchSize { get; set; } = 32;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long stopping waits for the database before it spills what is left to disk.</summary>
    public TimeSpan StopDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where events go when the queue is full or the hub stops with the database down; replayed in order once the
    /// database answers (also after a restart). Null: a folder per database under the temp directory.
    /// </summary>
    public string? SpillDirectory { get; set; }

    /// <summary>One folder per database (host, port, name), so two hubs or test databases never replay each other's events.</summary>
    public static string DefaultSpillDirectory(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var key = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return Path.Combine(Path.GetTempPath(), "voxcpm-hub", "history-spill", hash);
    }
}
