using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace VoxCpm.Hub.Listeners;

/// <summary>
/// The two Kestrel listeners: TTS_PORT for programmatic clients and TTS_WEB_PORT, which also serves the web UI.
/// Connections accepted on the web port carry <see cref="WebUiConnectionFeature"/>, so middleware can tell the
/// ports apart even when tests bind both to port 0.
/// </summary>
internal sealed class HubListeners
{
    private readonly List<ListenOptions> _api = [];
    private readonly List<ListenOptions> _web = [];

    /// <summary>The bound addresses (real ports once the server has started), e.g. <c>http://127.0.0.1:9300</c>.</summary>
    public IReadOnlyList<string> ApiAddresses => Describe(_api);

    public IReadOnlyList<string> WebAddresses => Describe(_web);

    public void Configure(KestrelServerOptions kestrel, ServerOptions server)
    {
        Listen(kestrel, server.Host, server.Port, _api, static _ => { });
        Listen(kestrel, server.Host, server.WebPort, _web, static listen =>
            listen.Use(next => connection =>
            {
                connection.Features.Set(WebUiConnectionFeature.Instance);
                return next(connection);
            }));
    }

    private static void Listen(
        KestrelServerOptions kestrel, string host, int port, List<ListenOptions> into, Action<ListenOptions> configure)
    {
        void Keep(ListenOptions listen)
        {
            configure(listen);
            into.Add(listen);
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, Keep);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), port, Keep);
        }
    }

    // Kestrel writes the bound endpoint back into ListenOptions, which is how port 0 turns into the real port.
    private static List<string> Describe(List<ListenOptions> listeners) =>
        listeners.Select(listen => listen.IPEndPoint is { } endPoint
            ? $"http://{FormatHost(endPoint.Address)}:{endPoint.Port}"
            : $"http://{listen}").ToList();

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
