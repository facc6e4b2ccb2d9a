namespace VoxCpm.Hub.Database;

internal static partial class DatabaseCommandLine
{
    public const string MigrateFlag = "--migrate";

    /// <summary>
    /// <c>VoxCpm.Hub --migrate</c>: applies pending migrations once and exits (scripts/migrate.sh, deployments
    /// that migrate before rolling out). The server itself also migrates at start.
    /// </summary>
    public static async Task<int> MigrateAndExitAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            var applied = await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            LogMigrated(app.Logger, applied);
            return Hosting.ExitCodes.Success;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMigrationFailed(app.Logger, ex.Message);
            return Hosting.ExitCodes.Failure;
        }
    }

    [LoggerMessage(EventId = 1203, EventName = "MigrateOnlyDone", Level = LogLevel.Information, Message = "Applied {Count} migration(s); exiting (--migrate)")]
    private static partial void LogMigrated(ILogger logger, int count);

    [LoggerMessage(EventId = 1204, EventName = "MigrateOnlyFailed", Level = LogLevel.Critical, Message = "Database migration failed: {Reason}")]
    private static partial void LogMigrationFailed(ILogger logger, string reason);
}
