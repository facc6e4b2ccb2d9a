using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.History;

/// <summary>
/// How long history is kept: TTS_HISTORY_MAX_AGE_DAYS (entries older than this many days) and TTS_HISTORY_MAX_ROWS
/// (only the newest this many entries). 0 or unset keeps history forever; both may be set and both apply.
/// </summary>
internal sealed class HistoryRetentionOptions : IBindsSettings<HistoryRetentionOptions>
{
    public const int MaxAgeDaysLimit = 36_500;
    public const int MaxRowsLimit = 1_000_000_000;

    public int MaxAgeDays { get; set; }

    public int MaxRows { get; set; }

    public bool Enabled => MaxAgeDays > 0 || MaxRows > 0;

    public static void Bind(SettingsReader settings, HistoryRetentionOptions options)
    {
        options.MaxAgeDays = settings.Int(SettingNames.HistoryMaxAgeDays, 0, 0, MaxAgeDaysLimit);
        options.MaxRows = settings.Int(SettingNames.HistoryMaxRows, 0, 0, MaxRowsLimit);
    }
}
