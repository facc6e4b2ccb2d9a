namespace VoxCpm.ModelDownloader.Cache;

/// <summary>File-system helpers that understand the cache's symlinks.</summary>
internal static class CachedFile
{
    /// <summary>True when <paramref name="path"/> is a regular file or a symlink chain ending at one.</summary>
    public static bool IsPresent(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return info.Exists;
        }

        // A dangling pointer (blob deleted by `huggingface-cli delete-cache`) must count as missing.
        return info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true };
    }

    /// <summary>True when a path entry exists at all, including a dangling symlink.</summary>
    public static bool EntryExists(string path) => new FileInfo(path) is { } info && (info.Exists || info.LinkTarget is not null);

    /// <summary>
    /// Points snapshots/COMMIT/FILE at the blob with a relative symlink, as huggingface_hub does, so the cache
    /// stays valid when moved. Falls back to a copy where symlinks are not allowed.
    /// </summary>
    public static void LinkIntoSnapshot(string blobPath, string pointerPath)
    {
        var pointerDirectory = Path.GetDirectoryName(pointerPath)!;
        Directory.CreateDirectory(pointerDirectory);
        if (EntryExists(pointerPath))
        {
            File.Delete(pointerPath);
        }

        try
        {
            File.CreateSymbolicLink(pointerPath, Path.GetRelativePath(pointerDirectory, blobPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(blobPath, pointerPath, overwrite: true);
        }
    }

    /// <summary>Writes a small text file through a temporary name and a rename, so readers never see half of it.</summary>
    public static void WriteAllTextAtomic(string path, string contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Records that a file does not exist at a commit, like huggingface_hub's .no_exist markers.</summary>
    public static void MarkMissing(string noExistPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(noExistPath)!);
        using var _ = File.Create(noExistPath);
    }
}
