using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Where module builders get checkpoint weights from, by state-dict name (e.g. <c>base_lm.layers.0.self_attn.q_proj.weight</c>),
/// already widened to float32. The checkpoint loader plugs in here; builders never see file formats.
/// </summary>
internal interface IWeightSource
{
    /// <summary>The named tensor; throws <see cref="CheckpointFormatException"/> or <see cref="KeyNotFoundException"/> when absent.</summary>
    HostTensor<float> Get(string name);

    /// <summary>
    /// Says that the caller is done with <paramref name="tensor"/>, got from <see cref="Get"/> for
    /// <paramref name="name"/> and held by nothing else, so a source may reuse its memory for a later tensor.
    /// </summary>
    void Recycle(string name, HostTensor<float> tensor)
    {
    }
}

/// <summary>Weights read straight from one <c>model.safetensors</c> file.</summary>
internal sealed class SafeTensorsWeightSource(SafeTensorsFile file) : IWeightSource
{
    public HostTensor<float> Get(string name) =>
        file.Contains(name) ? file.ReadFloat32(name) : throw new KeyNotFoundException($"{file.Path}: the checkpoint has no tensor '{name}'.");
}
