using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Data;

namespace VoxCpm.Hub.Database;

internal static class DatabaseServiceCollectionExtensions
{
    /// <summary>The hub's <see cref="HubDbContext"/> on TTS_DB_CONNECTION, migrated in the background at start.</summary>
    public static IServiceCollection AddVoxCpmDatabase(this IServiceCollection services)
    {
        services.AddSettings<DatabaseOptions>();
        services.AddPooledDbContextFactory<HubDbContext>((provider, options) =>
            options.UseHubDatabase(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DatabaseState>();
        services.TryAddSingleton<DatabaseMigrator>();
        services.AddHostedService<DatabaseMigrationService>();
        return services;
    }
}
