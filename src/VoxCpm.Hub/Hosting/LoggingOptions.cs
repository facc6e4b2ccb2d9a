using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Hosting;

/// <summary>
/// TTS_LOG_LEVEL, spelled as in the seed server (Python's level names), mapped to .NET log levels; TTS_LOG_FORMAT:
/// <c>simple</c> (one line per entry with its request scope) or <c>json</c> (one JSON object per line, scopes included).
/// </summary>
internal sealed class LoggingOptions : IBindsSettings<LoggingOptions>
{
    public static readonly IReadOnlyDictionary<string, LogLevel> Levels = new Dictionary<string, LogLevel>
    {
        ["DEBUG"] = LogLevel.Debug,
        ["INFO"] = LogLevel.Information,
        ["WARNING"] = LogLevel.Warning,
        ["ERROR"] = LogLevel.Error,
        ["CRITICAL"] = LogLevel.Critical,
    };

    public static readonly IReadOnlyDictionary<string, bool> Formats = new Dictionary<string, bool>
    {
        ["simple"] = false,
        ["json"] = true,
    };

    public LogLevel Level { get; set; } = Levels[HubDefaults.LogLevel];

    public bool Json { get; set; } = Formats[HubDefaults.LogFormat];

    public static void Bind(SettingsReader settings, LoggingOptions options)
    {
        options.Level = settings.Choice(SettingNames.LogLevel, Levels[HubDefaults.LogLevel], Levels);
        options.Json = settings.Choice(SettingNames.LogFormat, Formats[HubDefaults.LogFormat], Formats);
    }
}
