using System.Net;
using System.Text.Json;
using VoxCpm.ModelDownloader.Cache;
using VoxCpm.ModelDownloader.Download;
using VoxCpm.ModelDownloader.Progress;

namespace VoxCpm.ModelDownloader;

/// <summary>The online half of <see cref="ModelLocator"/>: plan the files, fetch the blobs, link the snapshot.</summary>
public sealed partial class ModelLocator
{
    private async Task<ResolvedModel> DownloadAsync(
        RepoCacheLayout layout,
        string revision,
        IProgress<ModelDownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        LogResolvingFromHub(layout.RepoId, revision, _options.Endpoint);
        var plan = await PlanAsync(layout, revision, cancellationToken);
        var commit = plan.Commit;
        var fetch = plan.Files
            .Where(m => !CachedFile.IsPresent(layout.PointerPath(commit, m.File)))
            .ToList();

        var tracker = new DownloadProgressTracker(layout.RepoId, [.. fetch.Select(m => (m.File, m.Size))], Publish, _time);
        var downloader = new BlobDownloader(_http, _options, _logger);
        var transferred = false;
        for (var i = 0; i < fetch.Count; i++)
        {
            var metadata = fetch[i];
            var blob = layout.BlobPath(metadata.Etag);
            var index = i;
            if (!CachedFile.IsPresent(blob))
            {
                LogDownloadingFile(metadata.File, metadata.Size, metadata.DownloadUri);
                tracker.Update(index, 0, force: true);
                await downloader.EnsureBlobAsync(layout, metadata, bytes => tracker.Update(index, bytes), cancellationToken);
                transferred = true;
            }

            CachedFile.LinkIntoSnapshot(blob, layout.PointerPath(commit, metadata.File));
            tracker.Complete(index);
        }

        foreach (var absent in plan.AbsentOptional)
        {
            CachedFile.MarkMissing(layout.NoExistPath(commit, absent));
        }

        if (!string.Equals(revision, commit, StringComparison.Ordinal))
        {
            CachedFile.WriteAllTextAtomic(layout.RefPath(revision), commit);
        }

        var snapshot = layout.SnapshotDirectory(commit);
        var missing = ModelFiles.MissingFrom(snapshot, file => File.Exists(layout.NoExistPath(commit, file)));
        if (missing.Count > 0)
        {
            throw new ModelDownloadException($"Snapshot {snapshot} still lacks {string.Join(", ", missing)} after the download.");
        }

        LogSnapshotReady(layout.RepoId, commit, snapshot, transferred);
        return new ResolvedModel(snapshot, layout.RepoId, revision, commit, transferred);

        void Publish(ModelDownloadProgress report)
        {
            Volatile.Write(ref _latestProgress, report);
            progress?.Report(report);
        }
    }

    /// <summary>
    /// Decides which files to fetch and their blob ids. The API listing gives the commit and the file names in
    /// one request; without it, HEAD probes each candidate in preference order. Files are then addressed by the
    /// commit, not the branch, so a push during the download cannot mix two revisions.
    /// </summary>
    private async Task<DownloadPlan> PlanAsync(RepoCacheLayout layout, string revision, CancellationToken cancellationToken)
    {
        var listing = await TryListAsync(layout, revision, cancellationToken);
        var files = new List<HubFileMetadata>();
        var absentOptional = new List<string>();
        var missingGroups = new List<string>();
        var address = listing?.Commit ?? revision;
        foreach (var group in ModelFiles.Groups)
        {
            HubFileMetadata? found = null;
            var cached = false;
            foreach (var candidate in group.Candidates)
            {
                if (listing is not null && !listing.Files.Contains(candidate))
                {
                    continue;
                }

                // Already linked in this very commit: no HEAD needed (a partial cache only costs the missing files).
                cached = listing is not null && CachedFile.IsPresent(layout.PointerPath(listing.Commit, candidate));
                found = cached ? null : await HeadAsync(layout, revision, address, candidate, cancellationToken);
                if (cached || found is not null)
                {
                    break;
                }
            }

            if (found is not null)
            {
                files.Add(found);
            }
            else if (cached)
            {
                continue;
            }
            else if (group.Optional)
            {
                absentOptional.AddRange(group.Candidates);
            }
            else
            {
                missingGroups.Add(group.Describe());
            }
        }

        if (missingGroups.Count > 0)
        {
            throw new ModelNotAvailableException(
                $"Repo {layout.RepoId}@{revision} at {_options.Endpoint} has no {string.Join(", ", missingGroups)}; "
                + "it is not a VoxCPM checkpoint. Check TTS_MODEL_NAME.");
        }

        // Without a listing every group was probed, and a required one always yields a file.
        var commit = listing?.Commit ?? files[0].Commit;
        if (files.FirstOrDefault(f => !string.Equals(f.Commit, commit, StringComparison.Ordinal)) is { } moved)
        {
            throw new ModelDownloadException(
                $"{layout.RepoId}@{revision} moved from {commit} to {moved.Commit} while planning the download; start again.");
        }

        return new DownloadPlan(commit, files, absentOptional);
    }

    private async Task<RepoListing?> TryListAsync(RepoCacheLayout layout, string revision, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.ListAsync(layout.RepoId, revision, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            // Nothing answers at the endpoint: say so now rather than after a round of HEAD retries.
            throw NotAvailable(layout, revision, null, $"unreachable ({_options.Endpoint}: {ex.Message})", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogListingUnavailable(layout.RepoId, revision, ex.Message);
            return null;
        }
    }

    private async Task<HubFileMetadata?> HeadAsync(
        RepoCacheLayout layout, string revision, string address, string file, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _http.HeadAsync(layout.RepoId, address, file, cancellationToken);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var token = _options.Token is null ? "no HF_TOKEN is set" : "HF_TOKEN was sent";
                throw NotAvailable(
                    layout, revision, null, $"refused by {_options.Endpoint} (HTTP {(int)ex.StatusCode}: private, gated or missing repo; {token})", ex);
            }
            catch (Exception ex) when (TransientFailure.IsTransient(ex, cancellationToken))
            {
                if (attempt >= _options.MaxAttempts)
                {
                    throw NotAvailable(layout, revision, null, $"unreachable ({_options.Endpoint}: {ex.Message})", ex);
                }

                var delay = TransientFailure.Backoff(attempt, _options.RetryBaseDelay, _options.MaxRetryDelay);
                LogMetadataRetry(file, attempt, _options.MaxAttempts, (long)delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private sealed record DownloadPlan(string Commit, IReadOnlyList<HubFileMetadata> Files, IReadOnlyList<string> AbsentOptional);
}
