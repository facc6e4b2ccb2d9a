namespace VoxCpm.Hub.History;

internal sealed partial class SynthesisRecorder
{
    [LoggerMessage(EventId = 4000, EventName = "HistoryQueueFull", Level = LogLevel.Warning, Message = "History queue is full ({Count} events waiting for the database); spilling events to {Directory} until the writer catches up")]
    private static partial void LogQueueFull(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 4001, EventName = "HistorySpillFailed", Level = LogLevel.Error, Message = "History event {Kind} of synthesis {SynthesisId} is lost: it could not be spilled to {Directory}")]
    private static partial void LogSpillFailed(ILogger logger, HistoryEventKind kind, Guid synthesisId, string directory, Exception exception);
}
