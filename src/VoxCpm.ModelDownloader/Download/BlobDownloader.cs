using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using VoxCpm.ModelDownloader.Cache;

namespace VoxCpm.ModelDownloader.Download;

/// <summary>
/// Fetches one blob into blobs/ETAG: under the cache lock, into ETAG.incomplete, resuming with a Range request
/// after a drop, then checks size and checksum and renames atomically. A blob that fails verification is deleted,
/// never installed.
/// </summary>
internal sealed partial class BlobDownloader(HubHttpClient http, ModelHubOptions options, ILogger logger)
{
    private const int BufferSize = 1 << 20;

    /// <summary>Makes blobs/ETAG exist. <paramref name="onBytes"/> receives the bytes of the file now on disk.</summary>
    public async Task EnsureBlobAsync(
        RepoCacheLayout layout,
        HubFileMetadata metadata,
        Action<long> onBytes,
        CancellationToken cancellationToken)
    {
        var blob = layout.BlobPath(metadata.Etag);
        if (CachedFile.IsPresent(blob))
        {
            return;
        }

        var lockPath = layout.LockPath(metadata.Etag);
        using var _ = await CacheFileLock.AcquireAsync(lockPath, () => LogWaitingForLock(lockPath), cancellationToken);
        if (CachedFile.IsPresent(blob))
        {
            return; // Another process finished it while we waited.
        }

        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        var incomplete = layout.IncompletePath(metadata.Etag);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TransferAsync(metadata, incomplete, onBytes, cancellationToken);
                break;
            }
            catch (Exception ex) when (attempt < options.MaxAttempts && TransientFailure.IsTransient(ex, cancellationToken))
            {
                var delay = TransientFailure.Backoff(attempt, options.RetryBaseDelay, options.MaxRetryDelay);
                LogRetrying(metadata.File, attempt, options.MaxAttempts, (long)delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, cancellationToken);
            }
            catch (Exception ex) when (TransientFailure.IsTransient(ex, cancellationToken))
            {
                throw new ModelDownloadException(
                    $"Downloading {metadata.File} from {metadata.DownloadUri} failed {options.MaxAttempts} times; the partial "
                    + $"file {incomplete} is kept and the next start resumes it. Last error: {ex.Message}",
                    ex);
            }
            catch (HttpRequestException ex)
            {
                throw new ModelDownloadException($"Downloading {metadata.File} from {metadata.DownloadUri} failed: {ex.Message}", ex);
            }
        }

        await BlobVerifier.VerifyAsync(metadata, incomplete, cancellationToken);
        File.Move(incomplete, blob, overwrite: true);
    }

    private async Task TransferAsync(HubFileMetadata metadata, string incomplete, Action<long> onBytes, CancellationToken cancellationToken)
    {
        long have = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
        if (metadata.Size is { } size && have >= size)
        {
            if (have == size)
            {
                onBytes(have);
                return; // A previous run received everything; verification decides.
            }

            File.Delete(incomplete);
            have = 0;
        }

        if (have > 0)
        {
            LogResuming(metadata.File, have);
        }

        using var response = await http.GetAsync(metadata.DownloadUri, have, cancellationToken);
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            if (response.Content.Headers.ContentRange?.From is { } from && from != have)
            {
                throw new IOException($"Server resumed {metadata.File} at byte {from}, asked for {have}.");
            }
        }
        else if (response.StatusCode == HttpStatusCode.OK)
        {
            if (have > 0)
            {
                LogRangeIgnored(metadata.File, have);
                have = 0;
            }
        }
        else if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(incomplete);
            throw new IOException($"Server rejected resuming {metadata.File} at byte {have}; restarting from zero.");
        }
        else
        {
            throw new HttpRequestException(
                $"GET {metadata.DownloadUri} returned {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }

        await using var file = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        file.SetLength(have);
        file.Seek(have, SeekOrigin.Begin);
        onBytes(have);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await CopyWithStallTimeoutAsync(body, file, have, onBytes, cancellationToken);
    }

    private async Task CopyWithStallTimeoutAsync(Stream body, FileStream file, long have, Action<long> onBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                stall.CancelAfter(options.StallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"No data for {options.StallTimeout.TotalSeconds:0} s.");
                }

                if (read == 0)
                {
                    return;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                have += read;
                onBytes(have);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
