using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// A model directory checked against its config: every weight float32 and VAE weight norm folded as it is taken. Holds
/// the weight files open (the stores read from them on demand) until disposed.
/// </summary>
internal sealed class LoadedCheckpoint(IReadOnlyList<ITensorFile> files) : IDisposable
{
    public required VoxCpmConfig Config { get; init; }

    /// <summary>Main-model weights under their state-dict names (<c>base_lm.…</c>, <c>feat_encoder.…</c>, …).</summary>
    public required WeightStore Model { get; init; }

    /// <summary>Audio VAE weights relative to the VAE (<c>encoder.…</c>, <c>decoder.…</c>), conv weights folded to <c>X.weight</c>.</summary>
    public required WeightStore AudioVae { get; init; }

    public required string TokenizerPath { get; init; }

    public required string Directory { get; init; }

    /// <summary>Stored tensors inference does not use; they were checked where the layout knows them but not loaded.</summary>
    public IReadOnlyList<IgnoredTensor> IgnoredTensors { get; init; } = [];

    public void Dispose()
    {
        foreach (var file in files)
        {
            file.Dispose();
        }
    }
}

/// <summary>A stored tensor the loader left out, and why.</summary>
internal sealed record IgnoredTensor(string File, string Name, string Reason)
{
    public override string ToString() => $"{File}: '{Name}' ({Reason})";
}
