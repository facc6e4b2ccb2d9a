using Microsoft.EntityFrameworkCore.Design;
using VoxCpm.Hub.Data;

namespace VoxCpm.Hub.Migrations;

/// <summary>
/// Lets <c>dotnet ef</c> build a <see cref="HubDbContext"/> without starting the hub. Adding a migration needs no
/// database; <c>dotnet ef database update</c> uses TTS_DB_CONNECTION, as the hub does.
/// </summary>
public sealed class HubDbContextDesignTimeFactory : IDesignTimeDbContextFactory<HubDbContext>
{
    private const string OfflinePlaceholder = "Host=127.0.0.1;Port=55432;Database=voxcpm;Username=voxcpm";

    public HubDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("TTS_DB_CONNECTION");
        return new HubDbContext(HubDbContextOptions.Create(
            string.IsNullOrWhiteSpace(connectionString) ? OfflinePlaceholder : connectionString));
    }
}
