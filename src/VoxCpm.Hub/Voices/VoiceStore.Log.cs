namespace VoxCpm.Hub.Voices;

internal sealed partial class VoiceStore
{
    [LoggerMessage(EventId = 4100, EventName = "VoiceCreated", Level = LogLevel.Information, Message = "Saved voice {VoiceId} '{Name}' ({Patches} latent patches)")]
    private static partial void LogCreated(ILogger logger, Guid voiceId, string name, int patches);

    [LoggerMessage(EventId = 4101, EventName = "VoiceEncodingForModel", Level = LogLevel.Information, Message = "Voice {VoiceId} is used by model {ModelId} for the first time: encoding it once for that model")]
    private static partial void LogEncodingForModel(ILogger logger, Guid voiceId, string modelId);
}
