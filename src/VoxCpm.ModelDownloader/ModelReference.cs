using System.Text.RegularExpressions;

namespace VoxCpm.ModelDownloader;

/// <summary>TTS_MODEL_NAME parsed: a local directory, or a repo id with an optional "@revision".</summary>
internal sealed partial record ModelReference(string? LocalDirectory, string? RepoId, string Revision)
{
    public static ModelReference Parse(string modelName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var name = modelName.Trim();
        if (Directory.Exists(name))
        {
            return new ModelReference(Path.GetFullPath(name), null, ModelHubOptions.DefaultRevision);
        }

        var at = name.LastIndexOf('@');
        var repo = at > 0 ? name[..at] : name;
        var revision = at > 0 ? name[(at + 1)..] : ModelHubOptions.DefaultRevision;
        if (LooksLikePath(name) || !RepoIdPattern().IsMatch(repo) || revision.Length == 0)
        {
            throw new ModelNotAvailableException(
                $"TTS_MODEL_NAME '{modelName}' is neither an existing directory nor a Hugging Face repo id such as "
                + "'openbmb/VoxCPM-0.5B' (optionally '@revision').");
        }

        return new ModelReference(null, repo, revision);
    }

    private static bool LooksLikePath(string name) =>
        Path.IsPathRooted(name) || name.StartsWith('.') || name.StartsWith('~') || name.Contains('\\', StringComparison.Ordinal);

    // huggingface_hub's validate_repo_id: optional namespace, names of [A-Za-z0-9_.-], at most 96 characters.
    [GeneratedRegex(@"^(?:[\w\-.]{1,96}/)?[\w\-.]{1,96}$")]
    private static partial Regex RepoIdPattern();
}
