using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.History;

namespace VoxCpm.Hub.Tests.Synthesis.TextStreaming;

/// <summary>
/// A real hub whose text streams have small limits, so hostile streams hit them within a test: 600 characters in all,
/// 200 unspoken, 300 messages, 2 s idle, 100 ms pause wait; history calls are recorded.
/// </summary>
public sealed class TextStreamHubFixture : TinyHubFixture
{
    public const int MaxTotalChars = 600;
    public const int MaxPendingChars = 200;
    public const int MaxAppends = 300;
    public const int IdleSeconds = 2;

    internal RecordingRecorder Recorder { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["TTS_DEVICE"] = "cpu";
        settings["TTS_TEXT_STREAM_MAX_CHARS"] = MaxTotalChars.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["TTS_TEXT_STREAM_MAX_PENDING"] = MaxPendingChars.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["TTS_TEXT_STREAM_MAX_APPENDS"] = MaxAppends.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["TTS_TEXT_STREAM_IDLE_SECONDS"] = IdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["TTS_TEXT_STREAM_PAUSE_MS"] = "100";
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ISynthesisRecorder>(Recorder);
}
