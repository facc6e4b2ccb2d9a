using System.Net;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Security;

/// <summary>A real hub with the tiny model and API keys configured; subclasses add their settings.</summary>
public abstract class KeyedHubFixture : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private HubHost? _hub;

    internal HubHost Hub => _hub ?? throw new InvalidOperationException("the fixture is not initialized");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = TestSettings.With(_database.ConnectionString, TinyModel.V05);
        settings["TTS_API_KEYS"] = string.Join(",", Keys);
        foreach (var (name, value) in Settings())
        {
            settings[name] = value;
        }

        _hub = await HubHost.StartAsync(settings);
        await Eventually.MatchesAsync(() => ReadyReport.GetAsync(Hub.Api, "/ready"), result => result.Code == HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>Keys of at least 16 characters; one per test where a test must own its rate-limit budget.</summary>
    public static IReadOnlyList<string> Keys { get; } = Enumerable.Range(1, 8).Select(i => $"test-key-{i}-0123456789abcdef").ToList();

    protected abstract IEnumerable<(string Name, string Value)> Settings();
}

/// <summary>Keys required, no rate limit, one extra CORS origin.</summary>
public sealed class ApiKeyHubFixture : KeyedHubFixture
{
    public const string ExtraOrigin = "https://ui.example.test";

    protected override IEnumerable<(string Name, string Value)> Settings() => [("TTS_CORS_ORIGINS", ExtraOrigin)];
}

/// <summary>Keys required and 3 requests per minute per key.</summary>
public sealed class RateLimitedHubFixture : KeyedHubFixture
{
    public const int PerMinute = 3;

    protected override IEnumerable<(string Name, string Value)> Settings() =>
        [("TTS_RATE_LIMIT_PER_MINUTE", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
