using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoxCpm.Hub.RawTts;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>
/// A real hub whose per-connection send buffer is 64 KiB and whose slow-reader timeout is 2 s (production: 16 MiB
/// and 30 s), so a client that never reads is cut off within a test; the hub's warnings are captured.
/// </summary>
public sealed class AbuseHubFixture : TinyHubFixture
{
    public const long SendBufferBytes = 64 * 1024;
    public static readonly TimeSpan SlowReaderTimeout = TimeSpan.FromSeconds(2);

    internal CapturedLogs Logs { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["TTS_MAX_TEXT_LENGTH"] = ReadyHubFixture.MaxTextLength.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(Logs);
        services.Configure<RawTtsSendOptions>(send =>
        {
            send.SendBufferBytes = SendBufferBytes;
            send.SlowReaderTimeout = SlowReaderTimeout;
        });
    }
}
