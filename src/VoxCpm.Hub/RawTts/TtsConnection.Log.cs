namespace VoxCpm.Hub.RawTts;

internal sealed partial class TtsConnection
{
    [LoggerMessage(EventId = 3000, EventName = "RawTtsSlowReader", Level = LogLevel.Warning, Message = "Closing a /tts connection: its {Bytes}-byte send buffer stayed full for {Seconds} s")]
    private static partial void LogSlowReader(ILogger logger, long bytes, double seconds);

    [LoggerMessage(EventId = 3002, EventName = "RawTtsReceiveFailed", Level = LogLevel.Error, Message = "A /tts connection failed while handling a client message")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3001, EventName = "RawTtsClosing", Level = LogLevel.Debug, Message = "Closing a /tts connection with {Status}: {Reason}")]
    private static partial void LogClosing(ILogger logger, int status, string reason);
}
