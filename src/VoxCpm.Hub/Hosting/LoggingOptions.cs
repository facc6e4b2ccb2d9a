using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Hosting;

/// <summary>TTS_LOG_LEVEL, spelled as in the seed server (Python's level names), mapped to .NET log levels.</summary>
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

    public LogLevel Level { get; set; } = Levels[HubDefaults.LogLevel];

    public static void Bind(SettingsReader settings, LoggingOptions options) =>
        options.Level = settings.Choice(SettingNames.LogLevel, Levels[HubDefaults.LogLevel], Levels);
}
