namespace VoxCpm.Hub.Database;

/// <summary>
/// Migrates the database in the background at start and retries until it succeeds, so the hub comes up (and
/// <c>/health</c> answers) even when PostgreSQL starts after it, as it may under docker compose.
/// </summary>
internal sealed partial class DatabaseMigrationService(
    DatabaseMigrator migrator,
    DatabaseState state,
    TimeProvider time,
    ILogger<DatabaseMigrationService> logger) : BackgroundService
{
    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var delay = s_firstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await migrator.MigrateAsync(stoppingToken);
                state.MarkMigrated();
                return;
            }
            // Any failure (unreachable server, wrong password, a failing migration) is retried and shown by /ready;
            // letting it escape would stop the whole host.
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                state.MarkNotReady($"cannot migrate the database: {ex.Message}");
                LogMigrationFailed(logger, delay.TotalSeconds, ex);
            }

            await Task.Delay(delay, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
        }
    }

    [LoggerMessage(EventId = 1202, EventName = "MigrationFailed", Level = LogLevel.Error, Message = "Database migration failed; retrying in {DelaySeconds} s")]
    private static partial void LogMigrationFailed(ILogger logger, double delaySeconds, Exception exception);
}
