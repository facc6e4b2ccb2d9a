using Microsoft.Extensions.DependencyInjection;
using VoxCpm.TestKit;
using Xunit;

namespace VoxCpm.Hub.Testing;

/// <summary>
/// One real hub per test class (use it as an <c>IClassFixture</c>): a tiny model (<see cref="TinyFixtures.V05"/> unless
/// <see cref="ModelDirectory"/> says otherwise) on a fresh PostgreSQL database of its own, ready (/ready is 200)
/// before the first test runs. Fixtures derive from it and add settings (<see cref="Configure"/>) and services
/// (<see cref="ConfigureServices"/>).
/// </summary>
public abstract class TinyHubFixture : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private TestHub? _hub;

    public TestHub Hub => _hub ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>The connection string of the fixture's own database.</summary>
    public string ConnectionString => _database.ConnectionString;

    public virtual async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = TestSettings.With(_database.ConnectionString, ModelDirectory);
        Configure(settings);
        _hub = await TestHub.StartAsync(settings, ConfigureServices);
        await Hub.WaitForReadyAsync();
    }

    /// <summary>The tiny checkpoint the hub loads: v05 unless a fixture says otherwise.</summary>
    protected virtual string ModelDirectory => TinyFixtures.V05;

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
