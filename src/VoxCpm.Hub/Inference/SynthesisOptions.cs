using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Inference;

/// <summary>Admission limits shared by every entry point: TTS_MAX_CONCURRENT, TTS_QUEUE_LIMIT, TTS_MAX_BATCH, TTS_REALTIME_ADMISSION, TTS_MAX_TEXT_LENGTH.</summary>
internal sealed class SynthesisOptions : IBindsSettings<SynthesisOptions>
{
    /// <summary>Requests synthesized at the same time; more wait in the queue.</summary>
    public int MaxConcurrent { get; set; } = HubDefaults.MaxConcurrent;

    /// <summary>Requests allowed to wait; past this a request is refused as busy rather than queued.</summary>
    public int QueueLimit { get; set; } = HubDefaults.QueueLimit;

    /// <summary>Rows one decode step runs (0: every active request); with more active, the streams closest to running dry go first.</summary>
    public int MaxBatch { get; set; } = HubDefaults.MaxBatch;

    /// <summary>Admit a request only while every running stream stays ahead of real time (measured step times).</summary>
    public bool RealTimeAdmission { get; set; } = HubDefaults.RealTimeAdmission;

    /// <summary>The longest text accepted, in characters (UTF-16 code units).</summary>
    public int MaxTextLength { get; set; } = HubDefaults.MaxTextLength;

    public static void Bind(SettingsReader settings, SynthesisOptions options)
    {
        options.MaxConcurrent = settings.Int(
            SettingNames.MaxConcurrent, HubDefaults.MaxConcurrent, 1, HubDefaults.MaxConcurrentLimit);
        options.QueueLimit = settings.Int(SettingNames.QueueLimit, HubDefaults.QueueLimit, 0, HubDefaults.QueueLimitMax);
        options.MaxBatch = settings.Int(SettingNames.MaxBatch, HubDefaults.MaxBatch, 0, HubDefaults.MaxConcurrentLimit);
        options.RealTimeAdmission = settings.Bool(SettingNames.RealTimeAdmission, HubDefaults.RealTimeAdmission);
        options.MaxTextLength = settings.Int(
            SettingNames.MaxTextLength, HubDefaults.MaxTextLength, 1, HubDefaults.MaxTextLengthLimit);
    }
}
