using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Database;

namespace VoxCpm.Hub.History;

internal static class HistoryServiceCollectionExtensions
{
    /// <summary>The history recorder (non-blocking, every entry point calls it) and its background PostgreSQL writer.</summary>
    public static IServiceCollection AddVoxCpmHistory(this IServiceCollection services)
    {
        services.AddOptions<HistoryOptions>()
            .PostConfigure<IOptions<DatabaseOptions>>((history, database) =>
                history.SpillDirectory ??= HistoryOptions.DefaultSpillDirectory(database.Value.ConnectionString));
        services.TryAddSingleton(provider =>
            new HistorySpill(provider.GetRequiredService<IOptions<HistoryOptions>>().Value.SpillDirectory!));
        services.TryAddSingleton<SynthesisRecorder>();
        services.TryAddSingleton<ISynthesisRecorder>(provider => provider.GetRequiredService<SynthesisRecorder>());
        services.AddHostedService<HistoryWriter>();
        return services;
    }
}
