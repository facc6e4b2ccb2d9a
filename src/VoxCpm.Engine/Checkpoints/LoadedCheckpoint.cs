using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>A model directory loaded and checked against its config: every weight float32, VAE weight norm folded.</summary>
internal sealed class LoadedCheckpoint
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
}

/// <summary>A stored tensor the loader left out, and why.</summary>
internal sealed record IgnoredTensor(string File, string Name, string Reason)
{
    public override string ToString() => $"{File}: '{Name}' ({Reason})";
}
