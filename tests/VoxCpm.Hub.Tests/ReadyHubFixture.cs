using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Tests;

/// <summary>
/// One real hub per test class: a fresh PostgreSQL database, the tiny v05 model loaded and warmed up (/ready is 200),
/// private prompt URLs allowed (the tests' audio server is on loopback), a 500-character text limit, and a
/// recording <see cref="ISynthesisRecorder"/> so tests see what history would be told.
/// </summary>
public sealed class ReadyHubFixture : TinyHubFixture
{
    public const int MaxTextLength = 500;

    internal RecordingRecorder Recorder { get; } = new();

    internal ISynthesisService Synthesis => Hub.Services.GetRequiredService<ISynthesisService>();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["TTS_PROMPT_URL_ALLOW_PRIVATE"] = "true";
        settings["TTS_MAX_TEXT_LENGTH"] = MaxTextLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["TTS_DEVICE"] = "cpu";
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ISynthesisRecorder>(Recorder);
}
