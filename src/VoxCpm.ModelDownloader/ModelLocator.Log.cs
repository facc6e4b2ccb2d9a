using Microsoft.Extensions.Logging;

namespace VoxCpm.ModelDownloader;

public sealed partial class ModelLocator
{
    [LoggerMessage(EventId = 1001, EventName = "ModelLocalDirectory", Level = LogLevel.Information,
        Message = "Using the local model directory {Directory}")]
    private partial void LogUsingLocalDirectory(string directory);

    [LoggerMessage(EventId = 1002, EventName = "ModelFromCache", Level = LogLevel.Information,
        Message = "Using {RepoId} at commit {Commit} from the Hugging Face cache ({Directory})")]
    private partial void LogUsingCache(string repoId, string commit, string directory);

    [LoggerMessage(EventId = 1003, EventName = "ModelResolvingFromHub", Level = LogLevel.Information,
        Message = "{RepoId}@{Revision} is not complete in the cache; fetching it from {Endpoint}")]
    private partial void LogResolvingFromHub(string repoId, string revision, Uri endpoint);

    [LoggerMessage(EventId = 1004, EventName = "ModelListingUnavailable", Level = LogLevel.Warning,
        Message = "The hub API listing for {RepoId}@{Revision} failed ({Reason}); probing the files with HEAD instead")]
    private partial void LogListingUnavailable(string repoId, string revision, string reason);

    [LoggerMessage(EventId = 1005, EventName = "ModelDownloadingFile", Level = LogLevel.Information,
        Message = "Downloading {File} ({Size} bytes) from {Uri}")]
    private partial void LogDownloadingFile(string file, long? size, Uri uri);

    [LoggerMessage(EventId = 1006, EventName = "ModelMetadataRetry", Level = LogLevel.Warning,
        Message = "HEAD for {File} failed (attempt {Attempt} of {MaxAttempts}), retrying in {DelayMs} ms: {Reason}")]
    private partial void LogMetadataRetry(string file, int attempt, int maxAttempts, long delayMs, string reason);

    [LoggerMessage(EventId = 1007, EventName = "ModelSnapshotReady", Level = LogLevel.Information,
        Message = "{RepoId} commit {Commit} is ready in {Directory} (downloaded: {Downloaded})")]
    private partial void LogSnapshotReady(string repoId, string commit, string directory, bool downloaded);
}
