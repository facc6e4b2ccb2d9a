using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Listeners;

namespace VoxCpm.Hub.WebUi;

internal static partial class WebUiApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the built web UI (TTS_WEB_ROOT) on the web port only; the programmatic port answers 404 for it. A
    /// missing folder is logged, not fatal: the API works without the UI.
    /// </summary>
    public static WebApplication UseVoxCpmWebUi(this WebApplication app)
    {
        var root = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.WebRoot;
        if (!Directory.Exists(root))
        {
            LogWebRootMissing(app.Logger, root);
            return app;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        app.UseWhen(
            context => context.IsWebUiConnection(),
            web => web
                .UseDefaultFiles(new DefaultFilesOptions { FileProvider = files })
                .UseStaticFiles(new StaticFileOptions { FileProvider = files }));
        return app;
    }

    [LoggerMessage(EventId = 1300, EventName = "WebRootMissing", Level = LogLevel.Warning, Message = "Web UI files not found at {WebRoot}; build client-web (npm run build) or set TTS_WEB_ROOT")]
    private static partial void LogWebRootMissing(ILogger logger, string webRoot);
}
