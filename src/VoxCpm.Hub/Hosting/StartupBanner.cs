using Microsoft.Extensions.Options;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Listeners;
using VoxCpm.Hub.Metrics;

namespace VoxCpm.Hub.Hosting;

/// <summary>Logs the effective configuration once the listeners are bound, so the banner shows real addresses.</summary>
internal sealed partial class StartupBanner(
    HubListeners listeners,
    IOptions<ServerOptions> server,
    IOptions<ModelOptions> model,
    IOptions<SynthesisOptions> synthesis,
    IOptions<LoggingOptions> logging,
    IOptions<MetricsOptions> metrics,
    IOptions<DatabaseOptions> database,
    IOptions<AdminOptions> admin,
    ILogger<StartupBanner> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var api = string.Join(", ", listeners.ApiAddresses);
        var web = string.Join(", ", listeners.WebAddresses);
        var webRoot = server.Value.WebRoot;
        var webRootState = Directory.Exists(webRoot) ? webRoot : $"{webRoot} (missing: build client-web)";
        var device = $"{model.Value.Device.ToString().ToLowerInvariant()}, precision {model.Value.Precision.ToString().ToLowerInvariant()}, weights {model.Value.Quantization.ToString().ToLowerInvariant()}";
        var dashboard = admin.Value.DashboardEnabled ? "enabled" : "denied (no TTS_ADMIN_USER/TTS_ADMIN_PASSWORD)";
        var databaseTarget = database.Value.Describe();
        LogBanner(
            logger,
            api,
            web,
            webRootState,
            model.Value.ModelName,
            device,
            synthesis.Value.MaxConcurrent,
            synthesis.Value.QueueLimit,
            synthesis.Value.MaxTextLength,
            logging.Value.Level,
            metrics.Value.Enabled,
            databaseTarget,
            dashboard);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1000, EventName = "StartupBanner", Level = LogLevel.Information, Message =
        "VoxCpm.Hub started. API: {ApiAddresses}; web UI: {WebAddresses} (files: {WebRoot}); " +
        "model: {ModelName} on {Device}; max concurrent: {MaxConcurrent}; queue limit: {QueueLimit}; " +
        "max text length: {MaxTextLength}; log level: {LogLevel}; metrics: {MetricsEnabled}; " +
        "database: {Database}; admin dashboard: {AdminDashboard}")]
    private static partial void LogBanner(
        ILogger logger,
        string apiAddresses,
        string webAddresses,
        string webRoot,
        string modelName,
        string device,
        int maxConcurrent,
        int queueLimit,
        int maxTextLength,
        LogLevel logLevel,
        bool metricsEnabled,
        string database,
        string adminDashboard);
}
