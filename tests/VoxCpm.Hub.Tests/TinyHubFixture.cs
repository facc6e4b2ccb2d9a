using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests;

/// <summary>
/// A real hub with a tiny model (v05 unless <see cref="ModelDirectory"/> says otherwise) on a fresh PostgreSQL database of its own, ready (/ready is 200) before the first
/// test runs. Fixtures and test classes derive from it and add settings (<see cref="Configure"/>) and services
/// (<see cref="ConfigureServices"/>).
/// </summary>
public abstract class TinyHubFixture : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private HubHost? _hub;

    internal HubHost Hub => _hub ?? throw new InvalidOperationException("the fixture is not initialized");

    public virtual async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = TestSettings.With(_database.ConnectionString, ModelDirectory);
        Configure(settings);
        _hub = await HubHost.StartAsync(settings, ConfigureServices);
        await Eventually.MatchesAsync(() => ReadyReport.GetAsync(Hub.Api, "/ready"), result => result.Code == HttpStatusCode.OK);
    }

    /// <summary>The tiny checkpoint the hub loads (<see cref="TinyModel"/>): v05 unless a fixture says otherwise.</summary>
    protected virtual string ModelDirectory => TinyModel.V05;

    public virtual async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>Adds or overrides TTS_* settings before the hub starts.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Adds or replaces services before the hub starts.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }
}
