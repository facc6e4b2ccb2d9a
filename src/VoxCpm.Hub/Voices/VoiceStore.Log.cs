namespace VoxCpm.Hub.Voices;

internal sealed partial class VoiceStore
{
    [LoggerMessage(EventId = 4100, EventName = "VoiceCreated", Level = LogLevel.Information, Message = "Saved voice {VoiceId} '{Name}' ({Patches} prompt patches)")]
    private static partial void LogCreated(ILogger logger, Guid voiceId, string name, int patches);

    [LoggerMessage(EventId = 4101, EventName = "VoiceReencoding", Level = LogLevel.Information, Message = "Voice {VoiceId} was encoded for model {StoredModel}; encoding it again for {CurrentModel}")]
    private static partial void LogReencoding(ILogger logger, Guid voiceId, string storedModel, string currentModel);
}
