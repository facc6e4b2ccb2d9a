namespace VoxCpm.ModelDownloader;

/// <summary>
/// A download reached the hub but its result cannot be trusted or completed: checksum or size mismatch, or
/// retries exhausted. Nothing is installed into the cache when this is thrown.
/// </summary>
public sealed class ModelDownloadException : Exception
{
    public ModelDownloadException()
    {
    }

    public ModelDownloadException(string message)
        : base(message)
    {
    }

    public ModelDownloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
