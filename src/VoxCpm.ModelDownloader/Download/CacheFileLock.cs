namespace VoxCpm.ModelDownloader.Download;

/// <summary>
/// An exclusive lock on .locks/models--ORG--NAME/ETAG.lock. On Unix, FileShare.None takes an advisory flock, the
/// same lock Python's filelock takes, so a hub process and a concurrent `huggingface-cli download` do not write
/// the same blob at once.
/// </summary>
internal sealed class CacheFileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly FileStream _stream;

    private CacheFileLock(FileStream stream) => _stream = stream;

    public static async Task<CacheFileLock> AcquireAsync(string path, Action onWaiting, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var warned = false;
        while (true)
        {
            try
            {
                return new CacheFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!warned)
                {
                    onWaiting();
                    warned = true;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
