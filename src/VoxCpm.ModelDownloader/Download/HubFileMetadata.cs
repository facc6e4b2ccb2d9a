namespace VoxCpm.ModelDownloader.Download;

/// <summary>
/// What a HEAD on /resolve/ says about a file (huggingface_hub's HfFileMetadata).
/// </summary>
/// <param name="File">Repo-relative file name.</param>
/// <param name="Commit">X-Repo-Commit: the commit the revision resolved to.</param>
/// <param name="Etag">X-Linked-Etag or ETag without quotes and W/: sha256 for LFS files, git blob sha1 otherwise.</param>
/// <param name="Size">X-Linked-Size or Content-Length, when sent.</param>
/// <param name="DownloadUri">Where to GET the bytes: the CDN redirect for LFS files, else the resolve URL.</param>
internal sealed record HubFileMetadata(string File, string Commit, string Etag, long? Size, Uri DownloadUri)
{
    /// <summary>LFS etags are the sha256 of the content (64 hex digits).</summary>
    public bool IsSha256Etag => Etag.Length == 64 && Etag.All(char.IsAsciiHexDigitLower);

    /// <summary>Regular files carry the git blob id (40 hex digits).</summary>
    public bool IsGitSha1Etag => Etag.Length == 40 && Etag.All(char.IsAsciiHexDigitLower);
}

/// <summary>The hub API's answer for a revision: its commit and the files it holds.</summary>
internal sealed record RepoListing(string Commit, IReadOnlySet<string> Files);
