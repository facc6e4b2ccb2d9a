using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Hosting;
using VoxCpm.Hub.Listeners;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Testing;

/// <summary>
/// The real hub (the same AddVoxCpmHub()/MapVoxCpmHub() as Program.cs) on real Kestrel, both listeners on 127.0.0.1
/// with ports the OS picks. The settings given are its only configuration (see <see cref="TestSettings"/>); every hub
/// gets a history spill folder of its own and fast history retries, so a database outage heals within a test.
/// </summary>
public sealed class TestHub : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private TestHub(LoopbackHost host, string spillDirectory)
    {
        _host = host;
        SpillDirectory = spillDirectory;
        var listeners = host.Services.GetRequiredService<HubListeners>();
        Api = LoopbackHost.CreateClient(listeners.ApiAddresses.Single());
        Web = LoopbackHost.CreateClient(listeners.WebAddresses.Single());
    }

    /// <summary>A client of TTS_PORT, the programmatic port.</summary>
    public HttpClient Api { get; }

    /// <summary>A client of TTS_WEB_PORT, the web UI port.</summary>
    public HttpClient Web { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Where history spills rows it could not write (a folder of this hub's own unless the test names one).</summary>
    public string SpillDirectory { get; }

    /// <summary>
    /// Starts the hub with <paramref name="settings"/>; <paramref name="services"/> adds or replaces services (its
    /// <c>Configure&lt;HistoryOptions&gt;</c> runs after the test defaults), and <paramref name="spillDirectory"/>
    /// shares a spill folder between hubs (a restart).
    /// </summary>
    public static async Task<TestHub> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection>? services = null,
        string? spillDirectory = null)
    {
        var spill = spillDirectory ?? Path.Combine(Path.GetTempPath(), "voxcpm-test-spill-" + Guid.NewGuid().ToString("N"));
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
                builder.Services.Configure<HistoryOptions>(options =>
                {
                    options.FirstRetryDelay = TimeSpan.FromMilliseconds(100);
                    options.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
                    options.SpillDirectory = spill;
                });
                services?.Invoke(builder.Services);
            },
            app => app.MapVoxCpmHub());
        return new TestHub(host, spill);
    }

    /// <summary>
    /// A started SignalR client of the TTS hub on the API port: JSON unless <paramref name="messagePack"/>, with
    /// <paramref name="apiKey"/> as its access token when given.
    /// </summary>
    public async Task<HubConnection> ConnectSignalRAsync(bool messagePack = false, string? apiKey = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(Api.BaseAddress!, TtsHubMethods.Route), options =>
        {
            if (apiKey is not null)
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(apiKey);
            }
        });
        var connection = (messagePack ? builder.AddMessagePackProtocol() : builder).Build();
        try
        {
            await connection.StartAsync().DefaultTimeout();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the background migration has brought the schema up to date.</summary>
    public Task WaitForDatabaseAsync() =>
        Eventually.MatchesAsync(
            () => Task.FromResult(Services.GetRequiredService<DatabaseState>().IsMigrated),
            migrated => migrated);

    /// <summary>Waits until /ready answers 200 (the model is loaded and warmed up, PostgreSQL answers) and returns that answer.</summary>
    public Task<(System.Net.HttpStatusCode Code, ReadyReport Report)> WaitForReadyAsync(TimeSpan? timeout = null) =>
        Eventually.MatchesAsync(() => ReadyReport.GetAsync(Api, "/ready"), result => result.Code == System.Net.HttpStatusCode.OK, timeout);

    /// <summary>Stops the host as SIGTERM would (drain, then stop); disposing afterwards is still required.</summary>
    public Task StopAsync() => _host.App.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Web.Dispose();
        await _host.DisposeAsync();
    }
}
