using VoxCpm.ModelDownloader;

namespace VoxCpm.Hub.Inference;

/// <summary>
/// Shows a model download twice: as the console progress bar, and as the model state's message, so <c>/ready</c>
/// tells an operator how far the download is (the latest progress) rather than just "loading".
/// </summary>
internal sealed class DownloadProgressReporter(string modelName, IProgress<ModelDownloadProgress> console, Action<ModelState> publish)
    : IProgress<ModelDownloadProgress>
{
    public void Report(ModelDownloadProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        console.Report(value);
        publish(new ModelState(ModelStatus.Loading, Describe(modelName, value)));
    }

    internal static string Describe(string modelName, ModelDownloadProgress progress)
    {
        if (progress.Completed)
        {
            return $"downloaded model '{modelName}' ({progress.OverallBytesDone} bytes)";
        }

        var overall = progress.OverallFraction is { } fraction ? $"{fraction:P0} of {progress.OverallBytesTotal} bytes" : $"{progress.OverallBytesDone} bytes";
        return $"downloading model '{modelName}': {overall}, file {progress.FileIndex + 1}/{progress.FileCount} ({progress.File})";
    }
}
