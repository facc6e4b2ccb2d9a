using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Hosting;
using VoxCpm.Hub.Listeners;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

/// <summary>
/// The real hub on loopback (AddVoxCpmHub/MapVoxCpmHub, both ports on 127.0.0.1:0) with a hook for test-only
/// services, fast history retries and a spill folder of the test's own.
/// </summary>
internal sealed class TestHub : IAsyncDisposable
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

    public HttpClient Api { get; }

    public HttpClient Web { get; }

    public IServiceProvider Services => _host.Services;

    public string SpillDirectory { get; }

    public static async Task<TestHub> StartAsync(
        Dictionary<string, string?> settings,
        Action<IServiceCollection>? services = null,
        Action<HistoryOptions>? history = null,
        string? spillDirectory = null)
    {
        var spill = spillDirectory ?? Path.Combine(Path.GetTempPath(), "voxcpm-test-spill-" + Guid.NewGuid().ToString("N"));
        var host = await LoopbackHost.StartAsync(
            settings,
            builder =>
            {
                builder.AddVoxCpmHub();
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
                    history?.Invoke(options);
                });
                services?.Invoke(builder.Services);
            },
            app => app.MapVoxCpmHub());
        return new TestHub(host, spill);
    }

    /// <summary>Waits until the background migration has brought the schema up to date.</summary>
    public Task WaitForDatabaseAsync() =>
        Eventually.MatchesAsync(
            () => Task.FromResult(Services.GetRequiredService<DatabaseState>().IsMigrated),
            migrated => migrated);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Web.Dispose();
        await _host.DisposeAsync();
    }
}
