using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Configuration;
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

    /// <summary>TTS_HISTORY_MAX_AGE_DAYS / TTS_HISTORY_MAX_ROWS, enforced by an hourly Hangfire job (needs <c>AddVoxCpmJobs</c>).</summary>
    public static IServiceCollection AddVoxCpmHistoryRetention(this IServiceCollection services)
    {
        services.AddSettings<HistoryRetentionOptions>();
        services.AddHostedService<HistoryRetentionSchedule>();
        return services;
    }
}
