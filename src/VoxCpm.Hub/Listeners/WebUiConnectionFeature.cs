namespace VoxCpm.Hub.Listeners;

/// <summary>Marks a connection accepted on TTS_WEB_PORT; see <see cref="HubListeners"/>.</summary>
internal sealed class WebUiConnectionFeature
{
    public static readonly WebUiConnectionFeature Instance = new();

    private WebUiConnectionFeature()
    {
    }
}

internal static class WebUiConnectionHttpContextExtensions
{
    public static bool IsWebUiConnection(this HttpContext context) =>
        context.Features.Get<WebUiConnectionFeature>() is not null;
}
