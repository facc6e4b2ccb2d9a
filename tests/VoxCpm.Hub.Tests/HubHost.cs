using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Hosting;
using VoxCpm.Hub.Listeners;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests;

/// <summary>
/// The real hub (same AddVoxCpmHub()/MapVoxCpmHub() as Program.cs) on real Kestrel, both listeners on
/// 127.0.0.1 with ports the OS picks. Settings are the test's only configuration.
/// </summary>
internal sealed class HubHost : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private HubHost(LoopbackHost host)
    {
        _host = host;
        var listeners = host.Services.GetRequiredService<HubListeners>();
        Api = LoopbackHost.CreateClient(listeners.ApiAddresses.Single());
        Web = LoopbackHost.CreateClient(listeners.WebAddresses.Single());
    }

    /// <summary>A client of TTS_PORT, the programmatic port.</summary>
    public HttpClient Api { get; }

    /// <summary>A client of TTS_WEB_PORT, the web UI port.</summary>
    public HttpClient Web { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<HubHost> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var host = await LoopbackHost.StartAsync(
            settings,
            builder =>
            {
                builder.AddVoxCpmHub();
                // Port 0 is not a valid TTS_PORT; only tests listen on OS-chosen ports, so they set it here.
                builder.Services.PostConfigure<ServerOptions>(server =>
                {
                    server.Host = "127.0.0.1";
                    server.Port = 0;
                    server.WebPort = 0;
                });
                services?.Invoke(builder.Services);
            },
            app => app.MapVoxCpmHub());
        return new HubHost(host);
    }

    /// <summary>Stops the host as SIGTERM would (drain, then stop); disposing afterwards is still required.</summary>
    public Task StopAsync() => _host.App.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Web.Dispose();
        await _host.DisposeAsync();
    }
}
