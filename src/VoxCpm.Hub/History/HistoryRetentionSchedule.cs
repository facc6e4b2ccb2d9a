using Hangfire;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Database;

namespace VoxCpm.Hub.History;

/// <summary>
/// Registers <see cref="HistoryRetentionJob"/> as an hourly recurring job on the <c>maintenance</c> queue once the
/// database (Hangfire's schema included) is migrated, or removes it when no limit is set. Every node does the same;
/// Hangfire keeps one recurring job of that id, so the job runs once an hour in the whole cluster.
/// </summary>
internal sealed partial class HistoryRetentionSchedule(
    IRecurringJobManager recurringJobs,
    DatabaseState database,
    IOptions<HistoryRetentionOptions> options,
    ILogger<HistoryRetentionSchedule> logger) : BackgroundService
{
    public static string Cron { get; } = Hangfire.Cron.Hourly();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WhenMigratedAsync(stoppingToken);
        var retention = options.Value;
        try
        {
            if (retention.Enabled)
            {
                recurringJobs.AddOrUpdate<HistoryRetentionJob>(
                    HistoryRetentionJob.RecurringJobId,
                    HistoryRetentionJob.Queue,
                    job => job.RunAsync(CancellationToken.None),
                    Cron,
                    new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
                LogScheduled(logger, retention.MaxAgeDays, retention.MaxRows, Cron);
            }
            else
            {
                recurringJobs.RemoveIfExists(HistoryRetentionJob.RecurringJobId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogScheduleFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 4301, EventName = "HistoryRetentionScheduled", Level = LogLevel.Information,
        Message = "History retention scheduled (max age {MaxAgeDays} days, max rows {MaxRows}; 0: no limit) on cron '{Cron}'")]
    private static partial void LogScheduled(ILogger logger, int maxAgeDays, int maxRows, string cron);

    [LoggerMessage(EventId = 4302, EventName = "HistoryRetentionScheduleFailed", Level = LogLevel.Error,
        Message = "History retention could not be scheduled; history is kept until the next start")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);
}
