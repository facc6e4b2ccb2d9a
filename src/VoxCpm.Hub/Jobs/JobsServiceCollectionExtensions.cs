using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Health;
using VoxCpm.Hub.Scaling;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Queue poll interval of idle workers: the longest a new job waits before a worker notices it.
    /// One query per worker per interval on an idle hub.
    /// </summary>
    public static readonly TimeSpan QueuePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hangfire on PostgreSQL (schema <c>hangfire</c>, TTS_DB_CONNECTION), a server for the <c>synthesis</c> queue with
    /// at most TTS_MAX_CONCURRENT workers (<see cref="SynthesisJobServer"/>), its readiness check, and
    /// <see cref="ISynthesisJobs"/>.
    /// </summary>
    public static IServiceCollection AddVoxCpmJobs(this IServiceCollection services)
    {
        // This host's own storage and activator, registered before AddHangfire so that its fall-backs to the static
        // JobStorage.Current / JobActivator.Current never apply: two hubs in one process (tests) stay apart.
        services.TryAddSingleton<JobStorage>(provider => CreateStorage(
            provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString,
            provider.GetRequiredService<IOptions<ScalingOptions>>().Value.JobInvisibilityTimeout));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IForeignSchema, JobSchema>());
        services.TryAddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.TryAddSingleton<JobServerState>();
        services.AddHostedService<SynthesisJobServer>();
        services.AddHealthChecks().AddCheck<JobServerHealthCheck>("jobs", tags: [HealthServiceCollectionExtensions.ReadyTag]);

        services.TryAddSingleton<JobNotifier>();
        services.TryAddSingleton<IJobUpdatePublisher, NoJobUpdatePublisher>();
        services.TryAddSingleton<JobHistory>();
        services.TryAddSingleton<ISynthesisJobQueue, JobQueue>();
        services.TryAddSingleton<SynthesisJobs>();
        services.TryAddSingleton<ISynthesisJobs>(provider => provider.GetRequiredService<SynthesisJobs>());
        services.AddSettings<AdminOptions>();
        services.TryAddSingleton<DashboardBasicAuthorization>();
        return services;
    }

    private static PostgreSqlStorage CreateStorage(string connectionString, TimeSpan invisibilityTimeout) =>
        new(new NpgsqlConnectionFactory(connectionString, StorageOptions(invisibilityTimeout)), StorageOptions(invisibilityTimeout));

    private static PostgreSqlStorageOptions StorageOptions(TimeSpan invisibilityTimeout) => new()
    {
        SchemaName = JobSchema.Name,
        // The database migrator installs the schema under a lock before the job server starts (see DatabaseMigrator).
        PrepareSchemaIfNecessary = false,
        QueuePollInterval = QueuePollInterval,
        // A job fetched by a node that crashed becomes visible again after this long (TTS_JOB_INVISIBILITY_SECONDS,
        // 2 min by default); the heartbeat keeps it invisible while its node lives, however long the synthesis takes.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = invisibilityTimeout,
    };
}
