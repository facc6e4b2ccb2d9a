namespace VoxCpm.ModelDownloader;

/// <summary>A model that is ready on local disk.</summary>
/// <param name="Directory">Directory holding config.json, the tokenizer files, the weights and the audio VAE.</param>
/// <param name="RepoId">Hugging Face repo id, or null when the model name was a local directory.</param>
/// <param name="Revision">Requested revision (branch, tag or commit), or null for a local directory.</param>
/// <param name="Commit">Commit hash of the snapshot, or null for a local directory.</param>
/// <param name="Downloaded">True when at least one file was fetched from the hub during this resolve.</param>
public sealed record ResolvedModel(string Directory, string? RepoId, string? Revision, string? Commit, bool Downloaded);
