using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Inference;

/// <summary>
/// The engine's messages name its own options (<c>SchedulerOptions.QueueLimit</c>, <c>EngineOptions.Device=Auto</c>);
/// an operator of the hub sets them through TTS_* settings. Where the hub reports an engine message (a busy refusal, a
/// model that cannot load), it names the setting instead.
/// </summary>
internal static class EngineSettingNames
{
    private static readonly (string Engine, string Host)[] s_names =
    [
        (SchedulerOptions.QueueLimitName, SettingNames.QueueLimit),
        ("EngineOptions.Device=Cuda", $"{SettingNames.Device}=cuda"),
        ("EngineOptions.Device=Auto", $"{SettingNames.Device}=auto"),
        ("EngineOptions.Device=Cpu", $"{SettingNames.Device}=cpu"),
    ];

    /// <summary><paramref name="message"/> with each engine option it names replaced by the hub's setting.</summary>
    public static string ToHostSettings(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (engine, host) in s_names)
        {
            message = message.Replace(engine, host, StringComparison.Ordinal);
        }

        return message;
    }
}
