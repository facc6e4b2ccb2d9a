namespace VoxCpm.Hub.History;

internal sealed partial class HistoryWriter
{
    [LoggerMessage(EventId = 4010, EventName = "HistoryWriteFailed", Level = LogLevel.Warning, Message = "Cannot write {Count} history event(s): {Reason}; retrying in {DelaySeconds} s (streaming is not affected)")]
    private static partial void LogWriteFailed(ILogger logger, int count, double delaySeconds, string reason);

    [LoggerMessage(EventId = 4011, EventName = "HistoryWriteRecovered", Level = LogLevel.Information, Message = "History writing recovered after {Failures} failed attempt(s); {Count} event(s) written")]
    private static partial void LogRecovered(ILogger logger, int failures, int count);

    [LoggerMessage(EventId = 4012, EventName = "HistoryEventRefused", Level = LogLevel.Error, Message = "History event {Kind} of synthesis {SynthesisId} was refused by the database and is not recorded: {Reason}")]
    private static partial void LogEventRefused(ILogger logger, HistoryEventKind kind, Guid synthesisId, string reason);

    [LoggerMessage(EventId = 4013, EventName = "HistorySpillReplayed", Level = LogLevel.Information, Message = "Wrote {Count} spilled history event(s)")]
    private static partial void LogReplayed(ILogger logger, int count);

    [LoggerMessage(EventId = 4014, EventName = "HistorySpillUnreadable", Level = LogLevel.Error, Message = "Cannot read spilled history events in {Directory}; retrying later")]
    private static partial void LogSpillUnreadable(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 4015, EventName = "HistorySpilledAtStop", Level = LogLevel.Warning, Message = "The database did not take the last {Count} history event(s) before stopping; spilled to {Directory} for the next start")]
    private static partial void LogSpillingAtStop(ILogger logger, int count, string directory);
}
