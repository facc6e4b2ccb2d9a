using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoxCpm.Hub.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>
/// A real hub whose per-connection send buffer is 64 KiB and whose slow-reader timeout is 2 s (production: 16 MiB
/// and 30 s), so a client that never reads is cut off within a test; the hub's warnings are captured.
/// </summary>
public sealed class AbuseHubFixture : IAsyncLifetime
{
    public const long SendBufferBytes = 64 * 1024;
    public static readonly TimeSpan SlowReaderTimeout = TimeSpan.FromSeconds(2);

    private readonly PostgresDatabase _database = new();
    private HubHost? _hub;

    internal HubHost Hub => _hub ?? throw new InvalidOperationException("the fixture is not initialized");

    internal CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = TestSettings.With(_database.ConnectionString, TinyModel.V05);
        settings["TTS_MAX_TEXT_LENGTH"] = ReadyHubFixture.MaxTextLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _hub = await HubHost.StartAsync(settings, services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            services.Configure<RawTtsSendOptions>(send =>
            {
                send.SendBufferBytes = SendBufferBytes;
                send.SlowReaderTimeout = SlowReaderTimeout;
            });
        });
        await Eventually.MatchesAsync(() => ReadyReport.GetAsync(Hub.Api, "/ready"), result => result.Code == HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        await _database.DisposeAsync();
    }
}
