using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Security;

/// <summary>
/// API keys (TTS_API_KEYS, TTS_API_KEYS_FILE), the per-client rate limit (TTS_RATE_LIMIT_PER_MINUTE) and the extra
/// CORS origins (TTS_CORS_ORIGINS). No key configured = the hub is open, as the seed server is.
/// </summary>
internal sealed class SecurityOptions : IBindsSettings<SecurityOptions>
{
    /// <summary>Shortest accepted key: a guessable key is worse than none, because it looks like protection.</summary>
    public const int MinKeyLength = 16;

    public IReadOnlyList<string> ApiKeys { get; set; } = [];

    public bool KeysRequired => ApiKeys.Count > 0;

    /// <summary>Requests per minute per API key (per client address when no keys are configured); 0 = no limit.</summary>
    public int RateLimitPerMinute { get; set; } = HubDefaults.RateLimitPerMinute;

    /// <summary>Origins allowed besides the web UI's own (the TTS_WEB_PORT origin), e.g. <c>https://tts.example.com</c>.</summary>
    public IReadOnlyList<string> CorsOrigins { get; set; } = [];

    public static void Bind(SettingsReader settings, SecurityOptions options)
    {
        var keys = SplitList(settings.OptionalString(SettingNames.ApiKeys)).ToList();
        if (settings.OptionalString(SettingNames.ApiKeysFile) is { } file)
        {
            keys.AddRange(ReadKeyFile(settings, file));
        }

        foreach (var shortKey in keys.Where(key => key.Length < MinKeyLength))
        {
            settings.Report($"{SettingNames.ApiKeys} keys must be at least {MinKeyLength} characters long (got one of {shortKey.Length})");
        }

        options.ApiKeys = keys.Distinct(StringComparer.Ordinal).ToList();
        options.RateLimitPerMinute = settings.Int(SettingNames.RateLimitPerMinute, HubDefaults.RateLimitPerMinute, 0, HubDefaults.RateLimitPerMinuteMax);
        var origins = SplitList(settings.OptionalString(SettingNames.CorsOrigins)).ToList();
        foreach (var origin in origins.Where(origin => !IsOrigin(origin)))
        {
            settings.Report($"{SettingNames.CorsOrigins} must list origins such as https://tts.example.com, without a path (got '{origin}')");
        }

        options.CorsOrigins = origins.Where(IsOrigin).Select(origin => origin.TrimEnd('/')).ToList();
    }

    private static string[] SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One key per line; blank lines and lines starting with # are skipped.</summary>
    private static List<string> ReadKeyFile(SettingsReader settings, string path)
    {
        try
        {
            return File.ReadAllLines(path)
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            settings.Report($"{SettingNames.ApiKeysFile} must name a readable file with one key per line (got '{path}': {e.Message})");
            return [];
        }
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) &&
        uri.Scheme is "http" or "https" &&
        uri.AbsolutePath == "/" && uri.Query.Length == 0;
}
