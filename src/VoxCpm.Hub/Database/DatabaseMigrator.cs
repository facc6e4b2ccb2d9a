using Microsoft.EntityFrameworkCore;
using VoxCpm.Hub.Data;

namespace VoxCpm.Hub.Database;

/// <summary>
/// Installs Hangfire's schema, then applies the pending EF Core migrations (migrations/VoxCpm.Hub.Migrations) and
/// returns how many ran. Hangfire's own start-up install gets one quick attempt (so the hub can start while
/// PostgreSQL is down); doing it here, with the migrations' retries and before our tables exist, means a database
/// that history can write to always has the job tables too.
/// </summary>
internal sealed partial class DatabaseMigrator(IDbContextFactory<HubDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        await context.Database.OpenConnectionAsync(cancellationToken);
        Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install((Npgsql.NpgsqlConnection)context.Database.GetDbConnection(), Jobs.JobsServiceCollectionExtensions.SchemaName);
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(logger, pending.Count, pending);
            await context.Database.MigrateAsync(cancellationToken);
        }

        LogUpToDate(logger);
        return pending.Count;
    }

    [LoggerMessage(EventId = 1200, EventName = "ApplyingMigrations", Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, IReadOnlyList<string> migrations);

    [LoggerMessage(EventId = 1201, EventName = "DatabaseUpToDate", Level = LogLevel.Information, Message = "Database schema is up to date")]
    private static partial void LogUpToDate(ILogger logger);
}
