using Microsoft.EntityFrameworkCore;
using Npgsql;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Data.Tests;

public sealed class MigrationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Migrations_apply_to_a_fresh_database_and_leave_nothing_pending()
    {
        await using var context = TestDbContexts.Create(database);
        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetPendingMigrationsAsync().DefaultTimeout());

        await context.Database.MigrateAsync().DefaultTimeout();

        Assert.Empty(await context.Database.GetPendingMigrationsAsync().DefaultTimeout());
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync().DefaultTimeout());
        Assert.Equal(["syntheses", "voice_encodings", "voices"], await ReadTableNamesAsync());
    }

    [Fact]
    public async Task Migrating_twice_is_harmless()
    {
        await TestDbContexts.MigrateAsync(database);
        await TestDbContexts.MigrateAsync(database);

        await using var context = TestDbContexts.Create(database);
        Assert.Empty(await context.Database.GetPendingMigrationsAsync().DefaultTimeout());
    }

    [Fact]
    public void Every_model_change_is_captured_by_a_migration()
    {
        // Fails when an entity or configuration changed without `dotnet ef migrations add` (see migrations/README.md).
        using var context = TestDbContexts.Create(database);
        Assert.False(context.Database.HasPendingModelChanges(), "The model has changes that no migration captures.");
    }

    private async Task<List<string>> ReadTableNamesAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' " +
            "AND table_name <> '__EFMigrationsHistory' ORDER BY table_name",
            connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        while (await reader.ReadAsync().DefaultTimeout())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
