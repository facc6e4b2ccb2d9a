namespace VoxCpm.ModelDownloader;

/// <summary>A snapshot of a model download, reported while files are fetched from the hub.</summary>
/// <param name="RepoId">Repo being downloaded.</param>
/// <param name="File">File currently transferring (repo-relative name).</param>
/// <param name="FileIndex">Zero-based index of <paramref name="File"/> among the files still to fetch.</param>
/// <param name="FileCount">Number of files still to fetch when the download started.</param>
/// <param name="FileBytesDone">Bytes of <paramref name="File"/> on disk, including a resumed prefix.</param>
/// <param name="FileBytesTotal">Size of <paramref name="File"/>, or null when the server did not say.</param>
/// <param name="OverallBytesDone">Bytes on disk over all files of this download.</param>
/// <param name="OverallBytesTotal">Size of all files of this download, or null when a size is unknown.</param>
/// <param name="Completed">True on the last report, once every file is installed.</param>
public sealed record ModelDownloadProgress(
    string RepoId,
    string File,
    int FileIndex,
    int FileCount,
    long FileBytesDone,
    long? FileBytesTotal,
    long OverallBytesDone,
    long? OverallBytesTotal,
    bool Completed)
{
    /// <summary>Overall fraction in [0, 1], or null when the total is unknown.</summary>
    public double? OverallFraction =>
        OverallBytesTotal is > 0 and var total ? Math.Clamp((double)OverallBytesDone / total, 0, 1) : null;
}
