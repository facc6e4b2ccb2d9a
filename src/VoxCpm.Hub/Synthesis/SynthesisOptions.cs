using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Synthesis;

/// <summary>Admission limits shared by every entry point: TTS_MAX_CONCURRENT, TTS_QUEUE_LIMIT, TTS_MAX_TEXT_LENGTH.</summary>
internal sealed class SynthesisOptions : IBindsSettings<SynthesisOptions>
{
    /// <summary>Requests synthesized at the same time; more wait in the queue.</summary>
    public int MaxConcurrent { get; set; } = HubDefaults.MaxConcurrent;

    /// <summary>Requests allowed to wait; past this a request is refused as busy rather than queued.</summary>
    public int QueueLimit { get; set; } = HubDefaults.QueueLimit;

    /// <summary>The longest text accepted, in characters (UTF-16 code units).</summary>
    public int MaxTextLength { get; set; } = HubDefaults.MaxTextLength;

    public static void Bind(SettingsReader settings, SynthesisOptions options)
    {
        options.MaxConcurrent = settings.Int(
            SettingNames.MaxConcurrent, HubDefaults.MaxConcurrent, 1, HubDefaults.MaxConcurrentLimit);
        options.QueueLimit = settings.Int(SettingNames.QueueLimit, HubDefaults.QueueLimit, 0, HubDefaults.QueueLimitMax);
        options.MaxTextLength = settings.Int(
            SettingNames.MaxTextLength, HubDefaults.MaxTextLength, 1, HubDefaults.MaxTextLengthLimit);
    }
}
