using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Listeners;

/// <summary>Where the hub listens: TTS_HOST, TTS_PORT (programmatic clients), TTS_WEB_PORT and TTS_WEB_ROOT (web UI).</summary>
internal sealed class ServerOptions : IBindsSettings<ServerOptions>
{
    /// <summary>The address both ports listen on: an IP address, or <c>localhost</c>.</summary>
    public string Host { get; set; } = HubDefaults.Host;

    /// <summary>The port for programmatic clients (raw <c>/tts</c> WebSocket, SignalR, HTTP API).</summary>
    public int Port { get; set; } = HubDefaults.Port;

    /// <summary>The port that also serves the web UI's static files.</summary>
    public int WebPort { get; set; } = HubDefaults.WebPort;

    /// <summary>The folder with the built web UI (client-web's <c>dist</c>); defaults to <c>wwwroot</c> beside the hub's binaries.</summary>
    public string WebRoot { get; set; } = DefaultWebRoot;

    public static string DefaultWebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static void Bind(SettingsReader settings, ServerOptions options)
    {
        options.Host = settings.ListenAddress(SettingNames.Host, HubDefaults.Host);
        options.Port = settings.Int(SettingNames.Port, HubDefaults.Port, 1, 65535);
        options.WebPort = settings.Int(SettingNames.WebPort, HubDefaults.WebPort, 1, 65535);
        options.WebRoot = settings.String(SettingNames.WebRoot, DefaultWebRoot);
        settings.Check(
            options.Port != options.WebPort,
            $"{SettingNames.WebPort} must differ from {SettingNames.Port} (both are {options.Port})");
    }
}
