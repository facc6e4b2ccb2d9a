using Microsoft.EntityFrameworkCore;
using VoxCpm.Hub.Data;

namespace VoxCpm.Hub.Database;

/// <summary>Applies the pending EF Core migrations (migrations/VoxCpm.Hub.Migrations) and returns how many ran.</summary>
internal sealed partial class DatabaseMigrator(IDbContextFactory<HubDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
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
