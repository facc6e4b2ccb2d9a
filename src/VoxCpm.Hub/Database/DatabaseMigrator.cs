using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using VoxCpm.Hub.Data;

namespace VoxCpm.Hub.Database;

/// <summary>
/// Brings the database up to date in one step: the schemas of other libraries (<see cref="IForeignSchema"/>: Hangfire's),
/// then the pending EF Core migrations (migrations/VoxCpm.Hub.Migrations). Returns how many EF migrations ran.
/// </summary>
/// <remarks>
/// Hangfire never installs its schema by itself (<c>PrepareSchemaIfNecessary</c> is off): an install racing our
/// migrations, or another node's install, on a fresh database could leave the job tables missing. Here both run under
/// one PostgreSQL advisory lock, so any number of nodes starting together install everything exactly once, and the
/// job server starts only afterwards (<see cref="DatabaseState.WhenMigratedAsync"/>).
/// </remarks>
internal sealed partial class DatabaseMigrator(
    IDbContextFactory<HubDbContext> contexts, IEnumerable<IForeignSchema> foreignSchemas, ILogger<DatabaseMigrator> logger)
{
    // Any fixed 64-bit key shared by every node of one deployment; "VoxCpmDb" in ASCII.
    internal const long MigrationLockKey = 0x566F7843_706D4462;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        await CreateDatabaseIfMissingAsync(context, cancellationToken);
        await context.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken);
        try
        {
            foreach (var schema in foreignSchemas)
            {
                schema.Install(connection);
            }

            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                LogApplying(logger, pending.Count, pending);
                await context.Database.MigrateAsync(cancellationToken);
            }

            LogUpToDate(logger);
            return pending.Count;
        }
        finally
        {
            // The lock is the session's: release it before the pooled connection goes back (closing would not).
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
    }

    // As EF's own Migrate would: a fresh server needs only the role, not the database (docker compose, the e2e tests).
    private static async Task CreateDatabaseIfMissingAsync(HubDbContext context, CancellationToken cancellationToken)
    {
        var creator = context.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another node created it first.
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1200, EventName = "ApplyingMigrations", Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, IReadOnlyList<string> migrations);

    [LoggerMessage(EventId = 1201, EventName = "DatabaseUpToDate", Level = LogLevel.Information, Message = "Database schema is up to date (Hangfire's and ours)")]
    private static partial void LogUpToDate(ILogger logger);
}
