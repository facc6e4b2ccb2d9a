using VoxCpm.Hub.Audio;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Health;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Http;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Listeners;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.RawTts;
using VoxCpm.Hub.Shutdown;
using VoxCpm.Hub.Security;
using VoxCpm.Hub.Scaling;
using VoxCpm.Hub.SignalR;
using VoxCpm.Hub.Synthesis;
using VoxCpm.Hub.Voices;

namespace VoxCpm.Hub.Hosting;

internal static class HubServiceCollectionExtensions
{
    /// <summary>
    /// Everything the hub needs, feature by feature. Program.cs and the tests' loopback host both call this, so
    /// tests run the real composition.
    /// </summary>
    public static WebApplicationBuilder AddVoxCpmHub(this WebApplicationBuilder builder)
    {
        builder.AddVoxCpmLogging();
        builder.Services.AddVoxCpmListeners();
        builder.Services.AddVoxCpmDatabase();
        builder.Services.AddVoxCpmInference();
        builder.Services.AddVoxCpmSynthesis();
        builder.Services.AddVoxCpmAudioFormats();
        builder.AddVoxCpmSignalR();
        builder.Services.AddVoxCpmRawTts();
        builder.Services.AddVoxCpmHealthChecks();
        builder.Services.AddVoxCpmHistory();
        builder.Services.AddVoxCpmVoices();
        builder.Services.AddVoxCpmJobs();
        builder.Services.AddVoxCpmScaling();
        builder.Services.AddVoxCpmHistoryRetention();
        builder.Services.AddVoxCpmHttp();
        builder.Services.AddVoxCpmSecurity();
        builder.Services.AddVoxCpmMetrics();
        builder.Services.AddHostedService<StartupBanner>();
        builder.Services.AddVoxCpmShutdown();
        return builder;
    }
}
