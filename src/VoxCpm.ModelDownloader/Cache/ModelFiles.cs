namespace VoxCpm.ModelDownloader.Cache;

/// <summary>
/// The files the engine needs from a VoxCPM repo. Each group is satisfied by its first present candidate; the
/// preference order follows the official loader (safetensors before pickles).
/// </summary>
internal static class ModelFiles
{
    public const string Config = "config.json";

    /// <summary>Groups of alternatives; <see cref="FileGroup.Optional"/> groups may be absent from a repo.</summary>
    public static IReadOnlyList<FileGroup> Groups { get; } =
    [
        new([Config], Optional: false),
        new(["tokenizer.json"], Optional: false),
        new(["tokenizer_config.json"], Optional: true),
        new(["special_tokens_map.json"], Optional: true),
        new(["audiovae.safetensors", "audiovae.pth"], Optional: false),
        new(["model.safetensors", "pytorch_model.bin"], Optional: false),
    ];

    /// <summary>
    /// Picks one file per group from a repo listing. Returns the files to fetch, the optional ones the repo lacks,
    /// and the required groups it lacks.
    /// </summary>
    public static FileSelection Select(IReadOnlySet<string> available)
    {
        var chosen = new List<string>();
        var absentOptional = new List<string>();
        var missing = new List<string>();
        foreach (var group in Groups)
        {
            var pick = group.Candidates.FirstOrDefault(available.Contains);
            if (pick is not null)
            {
                chosen.Add(pick);
            }
            else if (group.Optional)
            {
                absentOptional.AddRange(group.Candidates);
            }
            else
            {
                missing.Add(group.Describe());
            }
        }

        return new FileSelection(chosen, absentOptional, missing);
    }

    /// <summary>
    /// Required groups missing from a snapshot directory. Optional files count as present when huggingface_hub's
    /// .no_exist marker says the repo has none.
    /// </summary>
    public static IReadOnlyList<string> MissingFrom(string snapshotDirectory, Func<string, bool> knownAbsent)
    {
        var missing = new List<string>();
        foreach (var group in Groups)
        {
            var present = group.Candidates.Any(file => CachedFile.IsPresent(Path.Combine(snapshotDirectory, file)));
            if (!present && !(group.Optional && group.Candidates.All(knownAbsent)))
            {
                missing.Add(group.Describe());
            }
        }

        return missing;
    }
}

internal sealed record FileGroup(IReadOnlyList<string> Candidates, bool Optional)
{
    public string Describe() => string.Join(" or ", Candidates);
}

internal sealed record FileSelection(IReadOnlyList<string> Files, IReadOnlyList<string> AbsentOptional, IReadOnlyList<string> MissingGroups);
