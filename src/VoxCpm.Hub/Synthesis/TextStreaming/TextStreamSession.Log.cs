namespace VoxCpm.Hub.Synthesis.TextStreaming;

internal sealed partial class TextStreamSession
{
    [LoggerMessage(EventId = 2100, EventName = "TextStreamPiece", Level = LogLevel.Debug, Message = "Text stream {RequestId}: piece {Piece} ({Characters} characters) submitted")]
    private static partial void LogPiece(ILogger logger, string requestId, int piece, int characters);

    [LoggerMessage(EventId = 2101, EventName = "TextStreamFailed", Level = LogLevel.Information, Message = "Text stream {RequestId} ended with {Code}: {Message}")]
    private static partial void LogStreamFailed(ILogger logger, string requestId, string code, string message);

    [LoggerMessage(EventId = 2102, EventName = "TextStreamNoContinuation", Level = LogLevel.Warning, Message = "Text stream {RequestId}: piece {Piece}'s audio could not be encoded to continue the voice; the next piece starts fresh: {Reason}")]
    private static partial void LogNoContinuation(ILogger logger, string requestId, int piece, string reason);
}
