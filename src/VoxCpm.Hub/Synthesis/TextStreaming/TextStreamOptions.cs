using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

/// <summary>
/// Limits of a text-in stream (SignalR <c>SynthesizeTextStream</c>, raw <c>tts_stream_start</c>): how much text it may
/// carry in all and unspoken at once, how many appends, how long it may stay silent, and how long a possible phrase end
/// waits for more text. Every error names the setting.
/// </summary>
internal sealed class TextStreamOptions : IBindsSettings<TextStreamOptions>
{
    public const string MaxTotalCharsSetting = "TTS_TEXT_STREAM_MAX_CHARS";
    public const string MaxPendingCharsSetting = "TTS_TEXT_STREAM_MAX_PENDING";
    public const string MaxAppendsSetting = "TTS_TEXT_STREAM_MAX_APPENDS";
    public const string IdleTimeoutSecondsSetting = "TTS_TEXT_STREAM_IDLE_SECONDS";
    public const string PauseMillisecondsSetting = "TTS_TEXT_STREAM_PAUSE_MS";

    public const int DefaultMaxTotalChars = 20_000;
    public const int DefaultMaxPendingChars = 4_000;
    public const int DefaultMaxAppends = 20_000;
    public const int DefaultIdleTimeoutSeconds = 30;
    public const int DefaultPauseMilliseconds = 250;

    /// <summary>Characters one stream may send in all.</summary>
    public int MaxTotalChars { get; set; } = DefaultMaxTotalChars;

    /// <summary>Characters received but not yet spoken; a client far ahead of the voice is stopped here.</summary>
    public int MaxPendingChars { get; set; } = DefaultMaxPendingChars;

    /// <summary>Append (and flush) messages one stream may send: empty or one-character appends cannot go on for ever.</summary>
    public int MaxAppends { get; set; } = DefaultMaxAppends;

    /// <summary>A stream that sends nothing (no text, no flush, no end) for this long fails.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(DefaultIdleTimeoutSeconds);

    /// <summary>Text that stops at a possible phrase end is spoken after this pause with no new text.</summary>
    public TimeSpan PauseWait { get; set; } = TimeSpan.FromMilliseconds(DefaultPauseMilliseconds);

    public static void Bind(SettingsReader settings, TextStreamOptions options)
    {
        options.MaxTotalChars = settings.Int(MaxTotalCharsSetting, DefaultMaxTotalChars, 1, 10_000_000);
        options.MaxPendingChars = settings.Int(MaxPendingCharsSetting, DefaultMaxPendingChars, 1, 1_000_000);
        options.MaxAppends = settings.Int(MaxAppendsSetting, DefaultMaxAppends, 1, 10_000_000);
        options.IdleTimeout = TimeSpan.FromSeconds(settings.Int(IdleTimeoutSecondsSetting, DefaultIdleTimeoutSeconds, 1, 3600));
        options.PauseWait = TimeSpan.FromMilliseconds(settings.Int(PauseMillisecondsSetting, DefaultPauseMilliseconds, 0, 10_000));
    }
}
