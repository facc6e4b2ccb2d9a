namespace VoxCpm.ModelDownloader;

/// <summary>
/// The model is neither a local directory nor complete in the Hugging Face cache, and it cannot be downloaded
/// (offline mode, hub unreachable, repo missing or gated). The message names the directory that was searched and
/// how to fill it.
/// </summary>
public sealed class ModelNotAvailableException : Exception
{
    public ModelNotAvailableException()
    {
    }

    public ModelNotAvailableException(string message)
        : base(message)
    {
    }

    public ModelNotAvailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
