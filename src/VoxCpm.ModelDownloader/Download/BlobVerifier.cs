using System.Security.Cryptography;
using System.Text;

namespace VoxCpm.ModelDownloader.Download;

/// <summary>
/// Checks a finished download against what the hub promised: the size, and the etag when it is a content hash
/// (sha256 for LFS files, git blob sha1 for regular files). A mismatch deletes the file.
/// </summary>
internal static class BlobVerifier
{
    public static async Task VerifyAsync(HubFileMetadata metadata, string path, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (metadata.Size is { } size && length != size)
        {
            Reject(path, $"{metadata.File}: received {length} bytes, the hub announced {size} (X-Linked-Size/Content-Length).");
        }

        // The whole file is hashed from disk after the transfer: a resumed prefix may come from an earlier process.
        string? actual = null;
        if (metadata.IsSha256Etag)
        {
            await using var stream = OpenRead(path);
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }
        else if (metadata.IsGitSha1Etag)
        {
            actual = await GitBlobSha1Async(path, length, cancellationToken);
        }

        if (actual is not null && !string.Equals(actual, metadata.Etag, StringComparison.Ordinal))
        {
            Reject(path, $"{metadata.File}: checksum {actual} does not match the hub's etag {metadata.Etag}; the download was discarded.");
        }
    }

    // git hashes "blob <size>\0" followed by the content.
#pragma warning disable CA5350 // SHA-1 is the git object id the hub sends, not a security choice.
    private static async Task<string> GitBlobSha1Async(string path, long length, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        hash.AppendData(Encoding.ASCII.GetBytes($"blob {length}\0"));
        await using var stream = OpenRead(path);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
#pragma warning restore CA5350

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static void Reject(string path, string message)
    {
        File.Delete(path);
        throw new ModelDownloadException(message);
    }
}
