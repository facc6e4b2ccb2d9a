namespace VoxCpm.Hub.Inference;

/// <summary>
/// Turns TTS_MODEL_NAME into a directory that holds the model's <c>config.json</c>: either the name is such a
/// directory, or it is a Hugging Face repository id (<c>org/name</c>) already downloaded into the standard HF cache
/// (<c>models--org--name/snapshots/&lt;revision&gt;/</c>). It never downloads: the hub runs where the network may be
/// closed, so the model is fetched beforehand (e.g. <c>huggingface-cli download</c>, or the compose volume).
/// </summary>
internal sealed class ModelDirectoryResolver(Func<string, string?> getEnvironmentVariable)
{
    public const string ConfigFileName = "config.json";

    public ModelDirectoryResolver()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>The directory with config.json, or null; <paramref name="searched"/> lists every place looked at.</summary>
    public string? Resolve(string modelName, out IReadOnlyList<string> searched)
    {
        var looked = new List<string>();
        searched = looked;

        var local = Path.GetFullPath(ExpandHome(modelName));
        looked.Add(local);
        if (File.Exists(Path.Combine(local, ConfigFileName)))
        {
            return local;
        }

        var parts = modelName.Split('/');
        if (parts.Length != 2 || parts.Any(part => part.Length == 0 || part is "." or ".."))
        {
            return null;
        }

        foreach (var cache in HubCacheDirectories())
        {
            var repository = Path.Combine(cache, $"models--{parts[0]}--{parts[1]}");
            looked.Add(Path.Combine(repository, "snapshots"));
            var snapshot = FindSnapshot(repository);
            if (snapshot is not null)
            {
                return snapshot;
            }
        }

        return null;
    }

    /// <summary>The HF cache folders in huggingface_hub's order: HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME, ~/.cache.</summary>
    public IEnumerable<string> HubCacheDirectories()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in Candidates())
        {
            if (candidate is not null && seen.Add(candidate))
            {
                yield return candidate;
            }
        }

        IEnumerable<string?> Candidates()
        {
            yield return NonEmpty("HF_HUB_CACHE");
            yield return NonEmpty("HF_HOME") is { } hfHome ? Path.Combine(hfHome, "hub") : null;
            yield return NonEmpty("XDG_CACHE_HOME") is { } xdg ? Path.Combine(xdg, "huggingface", "hub") : null;
            yield return Path.Combine(Home(), ".cache", "huggingface", "hub");
        }
    }

    // Prefer the revision refs/main points at (what huggingface_hub would load); else the newest complete snapshot.
    private static string? FindSnapshot(string repository)
    {
        var snapshots = Path.Combine(repository, "snapshots");
        if (!Directory.Exists(snapshots))
        {
            return null;
        }

        var mainRef = Path.Combine(repository, "refs", "main");
        if (File.Exists(mainRef))
        {
            var revision = Path.Combine(snapshots, File.ReadAllText(mainRef).Trim());
            if (File.Exists(Path.Combine(revision, ConfigFileName)))
            {
                return revision;
            }
        }

        return new DirectoryInfo(snapshots).EnumerateDirectories()
            .Where(directory => File.Exists(Path.Combine(directory.FullName, ConfigFileName)))
            .OrderByDescending(directory => directory.LastWriteTimeUtc)
            .Select(directory => directory.FullName)
            .FirstOrDefault();
    }

    private string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Home() + path[1..] : path;

    private string Home() => NonEmpty("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private string? NonEmpty(string name) => getEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
