using VoxCpm.Hub.Health;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Http;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.RawTts;
using VoxCpm.Hub.Security;
using VoxCpm.Hub.Scaling;
using VoxCpm.Hub.SignalR;
using VoxCpm.Hub.TextPlan;
using VoxCpm.Hub.WebUi;

namespace VoxCpm.Hub.Hosting;

internal static class HubApplicationExtensions
{
    /// <summary>
    /// The request pipeline and endpoints, feature by feature; shared by Program.cs and the tests. A worker-only node
    /// (TTS_ROLES=worker) serves health and metrics alone: its clients are the other nodes, through the database.
    /// </summary>
    public static WebApplication MapVoxCpmHub(this WebApplication app)
    {
        if (!app.ServesClients())
        {
            app.UseVoxCpmMetrics();
            app.MapVoxCpmHealth();
            return app;
        }

        app.UseVoxCpmWebUi();
        app.UseVoxCpmSecurity();
        app.UseVoxCpmMetrics();
        app.MapVoxCpmHealth();
        app.MapVoxCpmTextPlan();
        app.MapVoxCpmRawTts();
        app.MapVoxCpmHistory();
        app.MapVoxCpmVoices();
        app.MapVoxCpmJobs();
        app.MapVoxCpmJobDashboard();
        app.MapVoxCpmSignalR();
        app.MapVoxCpmHttpSynthesis();
        app.MapVoxCpmOpenAiSpeech();
        app.MapVoxCpmOpenApi();
        return app;
    }
}
