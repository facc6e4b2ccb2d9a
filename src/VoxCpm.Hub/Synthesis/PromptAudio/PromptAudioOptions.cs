using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Synthesis.PromptAudio;

/// <summary>How reference audio is fetched from <c>prompt_wav_url</c>: TTS_PROMPT_URL_ALLOW_PRIVATE and the fixed limits.</summary>
internal sealed class PromptAudioOptions : IBindsSettings<PromptAudioOptions>
{
    public const string AllowPrivateSetting = "TTS_PROMPT_URL_ALLOW_PRIVATE";

    /// <summary>The engine refuses reference audio over 20 MiB anyway; this stops the download there.</summary>
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    public const int DefaultMaxRedirects = 3;

    /// <summary>
    /// Allow loopback, private, link-local and other non-public addresses. Off by default: a public server must not
    /// fetch from its own network on a client's behalf (SSRF). Tests and private deployments turn it on.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    public long MaxBytes { get; set; } = DefaultMaxBytes;

    public int MaxRedirects { get; set; } = DefaultMaxRedirects;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public static void Bind(SettingsReader settings, PromptAudioOptions options) =>
        options.AllowPrivateAddresses = settings.Bool(AllowPrivateSetting, false);
}
