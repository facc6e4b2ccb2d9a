using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

internal static class JobsServiceCollectionExtensions
{
    public const string SchemaName = "hangfire";

    /// <summary>
    /// Queue poll interval of idle workers: the longest a new job waits before a worker notices it.
    /// One query per worker per interval on an idle hub.
    /// </summary>
    public static readonly TimeSpan QueuePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hangfire on PostgreSQL (schema <c>hangfire</c>, TTS_DB_CONNECTION), a server for the <c>synthesis</c> queue with
    /// at most TTS_MAX_CONCURRENT workers, and <see cref="ISynthesisJobs"/>.
    /// </summary>
    public static IServiceCollection AddVoxCpmJobs(this IServiceCollection services)
    {
        // This host's own storage and activator, registered before AddHangfire so that its fall-backs to the static
        // JobStorage.Current / JobActivator.Current never apply: two hubs in one process (tests) stay apart.
        services.TryAddSingleton<JobStorage>(provider => CreateStorage(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        services.TryAddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHangfireServer((provider, server) =>
        {
            server.Queues = [SynthesisJob.Queue];
            // Retries wait in the scheduled set; the default 15 s poll would add up to that much to each retry delay.
            server.SchedulePollingInterval = QueuePollInterval;
            server.WorkerCount = provider.GetRequiredService<IOptions<SynthesisOptions>>().Value.MaxConcurrent;
            server.ServerName = $"voxcpm-hub:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
        });

        services.TryAddSingleton<JobNotifier>();
        services.TryAddSingleton<JobHistory>();
        services.TryAddSingleton<SynthesisJobs>();
        services.TryAddSingleton<ISynthesisJobs>(provider => provider.GetRequiredService<SynthesisJobs>());
        services.TryAddSingleton<DashboardBasicAuthorization>();
        return services;
    }

    private static PostgreSqlStorage CreateStorage(string connectionString) =>
        new(new NpgsqlConnectionFactory(connectionString, StorageOptions()), StorageOptions());

    private static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = SchemaName,
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = QueuePollInterval,
        // A job fetched by a node that crashed becomes visible again after this long; the heartbeat keeps it
        // invisible while its node lives, however long the synthesis takes.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(2),
        // The hub starts while PostgreSQL is down (as history does): Hangfire installs its schema on first use.
        StartupConnectionMaxRetries = 1,
        StartupConnectionBaseDelay = TimeSpan.FromMilliseconds(100),
        StartupConnectionMaxDelay = TimeSpan.FromMilliseconds(100),
        AllowDegradedModeWithoutStorage = true,
    };
}
