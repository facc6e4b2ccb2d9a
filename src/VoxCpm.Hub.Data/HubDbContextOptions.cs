using Microsoft.EntityFrameworkCore;

namespace VoxCpm.Hub.Data;

/// <summary>
/// The one place that says how <see cref="HubDbContext"/> talks to PostgreSQL, shared by the host, the design-time
/// factory of the migrations project and the tests, so they cannot drift apart.
/// </summary>
public static class HubDbContextOptions
{
    /// <summary>The assembly that holds the migrations (migrations/VoxCpm.Hub.Migrations).</summary>
    public const string MigrationsAssembly = "VoxCpm.Hub.Migrations";

    public static DbContextOptionsBuilder UseHubDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention();

    /// <summary>Options for code that builds the context by hand (tests, tools).</summary>
    public static DbContextOptions<HubDbContext> Create(string connectionString) =>
        (DbContextOptions<HubDbContext>)new DbContextOptionsBuilder<HubDbContext>()
            .UseHubDatabase(connectionString)
            .Options;
}
