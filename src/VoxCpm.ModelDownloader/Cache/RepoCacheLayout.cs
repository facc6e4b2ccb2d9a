using System.Text.RegularExpressions;

namespace VoxCpm.ModelDownloader.Cache;

/// <summary>
/// Paths of one model repo inside a Hugging Face hub cache, exactly as huggingface_hub lays them out
/// (file_download.py): models--ORG--NAME/{refs/REV, snapshots/COMMIT/FILE -> ../../blobs/ETAG, blobs/ETAG},
/// with locks under .locks/ and "known missing" markers under .no_exist/.
/// </summary>
internal sealed partial class RepoCacheLayout
{
    public RepoCacheLayout(string cacheRoot, string repoId)
    {
        CacheRoot = cacheRoot;
        RepoId = repoId;
        FolderName = "models--" + repoId.Replace("/", "--", StringComparison.Ordinal);
        RepoDirectory = Path.Combine(cacheRoot, FolderName);
    }

    public string CacheRoot { get; }

    public string RepoId { get; }

    /// <summary>models--ORG--NAME</summary>
    public string FolderName { get; }

    public string RepoDirectory { get; }

    public static bool IsCommitHash(string revision) => CommitHash().IsMatch(revision);

    public string RefPath(string revision) => Path.Combine(RepoDirectory, "refs", revision);

    public string SnapshotDirectory(string commit) => Path.Combine(RepoDirectory, "snapshots", commit);

    public string PointerPath(string commit, string file) => Path.Combine(SnapshotDirectory(commit), file);

    public string BlobPath(string etag) => Path.Combine(RepoDirectory, "blobs", etag);

    public string IncompletePath(string etag) => BlobPath(etag) + ".incomplete";

    public string LockPath(string etag) => Path.Combine(CacheRoot, ".locks", FolderName, etag + ".lock");

    public string NoExistPath(string commit, string file) => Path.Combine(RepoDirectory, ".no_exist", commit, file);

    /// <summary>The commit a revision points to in the cache, or null when the cache does not know it.</summary>
    public string? ReadCommit(string revision)
    {
        if (IsCommitHash(revision) && Directory.Exists(SnapshotDirectory(revision)))
        {
            return revision;
        }

        var refPath = RefPath(revision);
        return File.Exists(refPath) && File.ReadAllText(refPath).Trim() is { Length: > 0 } commit ? commit : null;
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();
}
