using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Data;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

internal static class HistoryTestData
{
    public static SynthesisSummary Summary(int sampleRate, int samples) => new(
        sampleRate,
        samples,
        Steps: 7,
        Attempts: 1,
        StopReason: "stop_token",
        QueueWait: TimeSpan.FromMilliseconds(12),
        TimeToFirstAudio: TimeSpan.FromMilliseconds(34),
        Total: TimeSpan.FromMilliseconds(250),
        PeakBatchSize: 1);

    public static float[] Sine(int samples, int sampleRate) =>
        Enumerable.Range(0, samples).Select(i => 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / sampleRate)).ToArray();

    public static HubDbContext Db(string connectionString) => new(HubDbContextOptions.Create(connectionString));

    public static async Task<Data.Entities.SynthesisRecord?> FindAsync(string connectionString, Guid id)
    {
        await using var db = Db(connectionString);
        return await db.Syntheses.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id).DefaultTimeout();
    }

    /// <summary>The same database reached through another port (a <see cref="TcpForwarder"/>).</summary>
    public static (string ConnectionString, IPEndPoint Target) Through(string connectionString, int port)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var target = new IPEndPoint(IPAddress.Parse(builder.Host!), builder.Port);
        builder.Port = port;
        builder.Timeout = 2;
        return (builder.ConnectionString, target);
    }
}
