using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VoxCpm.ModelDownloader.Cache;
using VoxCpm.ModelDownloader.Download;

namespace VoxCpm.ModelDownloader;

/// <summary>
/// Resolves TTS_MODEL_NAME to a local directory: a directory is used as is; a Hugging Face repo id is looked up in
/// the hub cache shared with huggingface_hub and, when missing or incomplete, downloaded into it.
/// </summary>
public sealed partial class ModelLocator : IDisposable
{
    private readonly ModelHubOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HubHttpClient _http;
    private ModelDownloadProgress? _latestProgress;

    public ModelLocator(ModelHubOptions options, ILogger<ModelLocator>? logger = null)
        : this(options, logger, null, null)
    {
    }

    internal ModelLocator(ModelHubOptions options, ILogger? logger, HttpMessageHandler? handler, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _http = new HubHttpClient(options, handler);
    }

    /// <summary>The last download progress reported by any resolve, for /ready; null before the first download.</summary>
    public ModelDownloadProgress? LatestProgress => Volatile.Read(ref _latestProgress);

    /// <summary>Resolves <paramref name="modelName"/> (a directory or a repo id, optionally "repo@revision").</summary>
    /// <exception cref="ModelNotAvailableException">Not local, not cached, and not downloadable.</exception>
    /// <exception cref="ModelDownloadException">A download failed verification or kept failing.</exception>
    public async Task<ResolvedModel> ResolveAsync(
        string modelName,
        IProgress<ModelDownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var reference = ModelReference.Parse(modelName);
        if (reference.LocalDirectory is { } directory)
        {
            if (!File.Exists(Path.Combine(directory, ModelFiles.Config)))
            {
                throw new ModelNotAvailableException(
                    $"TTS_MODEL_NAME points at {directory}, which has no {ModelFiles.Config}; it must hold a VoxCPM checkpoint.");
            }

            LogUsingLocalDirectory(directory);
            return new ResolvedModel(directory, null, null, null, Downloaded: false);
        }

        var repoId = reference.RepoId!;
        var layout = new RepoCacheLayout(_options.CacheDirectory, repoId);
        var cached = FindCompleteSnapshot(layout, reference.Revision, out var missing);
        if (cached is not null)
        {
            var snapshot = layout.SnapshotDirectory(cached);
            LogUsingCache(repoId, cached, snapshot);
            return new ResolvedModel(snapshot, repoId, reference.Revision, cached, Downloaded: false);
        }

        if (_options.Offline)
        {
            throw NotAvailable(layout, reference.Revision, missing, "disabled (HF_HUB_OFFLINE=1)", null);
        }

        return await DownloadAsync(layout, reference.Revision, progress, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static string? FindCompleteSnapshot(RepoCacheLayout layout, string revision, out IReadOnlyList<string>? missing)
    {
        missing = null;
        if (layout.ReadCommit(revision) is not { } commit || !Directory.Exists(layout.SnapshotDirectory(commit)))
        {
            return null;
        }

        missing = ModelFiles.MissingFrom(
            layout.SnapshotDirectory(commit), file => File.Exists(layout.NoExistPath(commit, file)));
        return missing.Count == 0 ? commit : null;
    }

    private static ModelNotAvailableException NotAvailable(
        RepoCacheLayout layout, string revision, IReadOnlyList<string>? missing, string why, Exception? inner)
    {
        var model = revision == ModelHubOptions.DefaultRevision ? layout.RepoId : $"{layout.RepoId}@{revision}";
        var where = missing is null
            ? $"is not in the Hugging Face cache at {layout.CacheRoot} ({layout.FolderName})"
            : $"is incomplete in the Hugging Face cache at {layout.CacheRoot} ({layout.FolderName}; missing {string.Join(", ", missing)})";
        var revisionArgument = revision == ModelHubOptions.DefaultRevision ? string.Empty : $" --revision {revision}";
        return new ModelNotAvailableException(
            $"Model {model} {where} and downloads are {why}: run `huggingface-cli download {layout.RepoId}{revisionArgument}` "
            + $"(with HF_HUB_CACHE={layout.CacheRoot} if that is not its default), copy a snapshot there, "
            + "or set TTS_MODEL_NAME to a local directory.",
            inner);
    }
}
