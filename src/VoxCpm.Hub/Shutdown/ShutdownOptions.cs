using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Shutdown;

/// <summary>TTS_SHUTDOWN_TIMEOUT_SECONDS: how long a stopping hub lets requests in flight finish before it cancels them.</summary>
internal sealed class ShutdownOptions : IBindsSettings<ShutdownOptions>
{
    /// <summary>The drain deadline in seconds (0 cancels what is in flight at once).</summary>
    public int TimeoutSeconds { get; set; } = HubDefaults.ShutdownTimeoutSeconds;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public static void Bind(SettingsReader settings, ShutdownOptions options) =>
        options.TimeoutSeconds = settings.Int(
            SettingNames.ShutdownTimeoutSeconds, HubDefaults.ShutdownTimeoutSeconds, 0, HubDefaults.ShutdownTimeoutSecondsLimit);
}
