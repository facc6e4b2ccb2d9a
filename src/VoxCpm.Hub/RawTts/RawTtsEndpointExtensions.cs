using VoxCpm.Hub.Security;

namespace VoxCpm.Hub.RawTts;

internal static partial class RawTtsEndpointExtensions
{
    public const string Path = "/tts";

    /// <summary>The raw WebSocket protocol of PROTOCOL.md at <c>/tts</c>, on both ports.</summary>
    public static WebApplication MapVoxCpmRawTts(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = RawTtsLimits.KeepAliveInterval });
        app.Map(Path, HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, RawTtsServices services)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("/tts speaks the VoxCpm.Hub raw WebSocket protocol (PROTOCOL.md): connect with a WebSocket client.", context.RequestAborted);
            return;
        }

        // Each tts_request takes a rate-limit permit of this client (its API key, or its address without keys).
        var partition = ClientPartition.Of(context);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var open = services.Connections.OpenRawWebSocket();
        await using var connection = new TtsConnection(socket, services, context.Connection.RemoteIpAddress?.ToString(), () => services.Limiter.TryAcquire(partition));
        await connection.RunAsync();
    }
}
