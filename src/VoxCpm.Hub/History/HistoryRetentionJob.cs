using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Data;

namespace VoxCpm.Hub.History;

/// <summary>
/// The recurring Hangfire job that enforces <see cref="HistoryRetentionOptions"/>: deletes the oldest history entries
/// (their audio is in the row and goes with it) past the age or count limit. Entries still queued or running are
/// never deleted, whatever their age: a job is waiting for them. Public with an <see cref="IServiceProvider"/>
/// constructor because Hangfire activates and invokes it by reflection.
/// </summary>
public sealed partial class HistoryRetentionJob(IServiceProvider services)
{
    /// <summary>The queue of housekeeping jobs; every node's job server processes it besides <c>synthesis</c>.</summary>
    public const string Queue = "maintenance";
    public const string RecurringJobId = "history-retention";

    /// <summary>Rows deleted per statement: a large backlog is removed in short transactions that never hold locks for long.</summary>
    public const int BatchSize = 500;

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<HistoryRetentionOptions>>().Value;
        var contexts = services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        var logger = services.GetRequiredService<ILogger<HistoryRetentionJob>>();

        var expired = 0;
        if (options.MaxAgeDays > 0)
        {
            var cutoff = DateTimeOffset.UtcNow.AddDays(-options.MaxAgeDays);
            expired = await DeleteInBatchesAsync(contexts, rows => Finished(rows).Where(s => s.CreatedAt < cutoff), cancellationToken);
        }

        var excess = 0;
        if (options.MaxRows > 0)
        {
            var keep = options.MaxRows;
            excess = await DeleteInBatchesAsync(
                contexts,
                rows => Finished(rows.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Skip(keep)),
                cancellationToken);
        }

        LogDeleted(logger, expired, options.MaxAgeDays, excess, options.MaxRows);
    }

    private static IQueryable<Data.Entities.SynthesisRecord> Finished(IQueryable<Data.Entities.SynthesisRecord> rows) =>
        rows.Where(s => s.Status != SynthesisStatus.Queued && s.Status != SynthesisStatus.Running);

    private static async Task<int> DeleteInBatchesAsync(
        IDbContextFactory<HubDbContext> contexts,
        Func<IQueryable<Data.Entities.SynthesisRecord>, IQueryable<Data.Entities.SynthesisRecord>> select,
        CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var batch = select(db.Syntheses).OrderBy(s => s.CreatedAt).Select(s => s.Id).Take(BatchSize);
            var deleted = await db.Syntheses.Where(s => batch.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(EventId = 4300, EventName = "HistoryRetentionRan", Level = LogLevel.Information,
        Message = "History retention deleted {Expired} entries older than {MaxAgeDays} days and {Excess} beyond the newest {MaxRows} (0: no limit)")]
    private static partial void LogDeleted(ILogger logger, int expired, int maxAgeDays, int excess, int maxRows);
}
