using Microsoft.EntityFrameworkCore;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Data.Tests;

internal static class TestDbContexts
{
    /// <summary>A context on the test database, configured exactly as the hub configures its own.</summary>
    public static HubDbContext Create(PostgresDatabase database) =>
        new(HubDbContextOptions.Create(database.ConnectionString));

    public static async Task MigrateAsync(PostgresDatabase database)
    {
        await using var context = Create(database);
        await context.Database.MigrateAsync().DefaultTimeout();
    }
}
