using Microsoft.Extensions.Logging;

namespace VoxCpm.ModelDownloader.Download;

internal sealed partial class BlobDownloader
{
    [LoggerMessage(EventId = 1101, EventName = "ModelDownloadResuming", Level = LogLevel.Information,
        Message = "Resuming {File} at byte {Offset}")]
    private partial void LogResuming(string file, long offset);

    [LoggerMessage(EventId = 1102, EventName = "ModelDownloadRangeIgnored", Level = LogLevel.Warning,
        Message = "Server ignored the Range request for {File} at byte {Offset}; restarting from zero")]
    private partial void LogRangeIgnored(string file, long offset);

    [LoggerMessage(EventId = 1103, EventName = "ModelDownloadRetrying", Level = LogLevel.Warning,
        Message = "Download of {File} failed (attempt {Attempt} of {MaxAttempts}), retrying in {DelayMs} ms: {Reason}")]
    private partial void LogRetrying(string file, int attempt, int maxAttempts, long delayMs, string reason);

    [LoggerMessage(EventId = 1104, EventName = "ModelDownloadWaitingForLock", Level = LogLevel.Information,
        Message = "Waiting for {LockPath}: another process is downloading the same file")]
    private partial void LogWaitingForLock(string lockPath);
}
