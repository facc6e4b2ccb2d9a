using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Synthesis;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests;

/// <summary>
/// One real hub per test class: a fresh PostgreSQL database, the tiny v05 model loaded and warmed up (/ready is 200),
/// private prompt URLs allowed (the tests' audio server is on loopback), a 500-character text limit, and a
/// recording <see cref="ISynthesisRecorder"/> so tests see what history would be told.
/// </summary>
public sealed class ReadyHubFixture : IAsyncLifetime
{
    public const int MaxTextLength = 500;

    private readonly PostgresDatabase _database = new();
    private HubHost? _hub;

    internal HubHost Hub => _hub ?? throw new InvalidOperationException("the fixture is not initialized");

    internal RecordingRecorder Recorder { get; } = new();

    internal ISynthesisService Synthesis => Hub.Services.GetRequiredService<ISynthesisService>();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = TestSettings.With(_database.ConnectionString, TinyModel.V05);
        settings["TTS_PROMPT_URL_ALLOW_PRIVATE"] = "true";
        settings["TTS_MAX_TEXT_LENGTH"] = MaxTextLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["TTS_DEVICE"] = "cpu";
        _hub = await HubHost.StartAsync(settings, services => services.AddSingleton<ISynthesisRecorder>(Recorder));
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
