using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Metrics;

/// <summary>TTS_METRICS_ENABLED: when true, Prometheus metrics are served at <c>/metrics</c>.</summary>
internal sealed class MetricsOptions : IBindsSettings<MetricsOptions>
{
    public bool Enabled { get; set; } = HubDefaults.MetricsEnabled;

    public static void Bind(SettingsReader settings, MetricsOptions options) =>
        options.Enabled = settings.Bool(SettingNames.MetricsEnabled, HubDefaults.MetricsEnabled);
}
