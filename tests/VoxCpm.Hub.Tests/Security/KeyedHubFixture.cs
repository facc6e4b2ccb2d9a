namespace VoxCpm.Hub.Tests.Security;

/// <summary>A real hub with the tiny model and API keys configured; subclasses add their settings.</summary>
public abstract class KeyedHubFixture : TinyHubFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["TTS_API_KEYS"] = string.Join(",", Keys);
        foreach (var (name, value) in Settings())
        {
            settings[name] = value;
        }
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
