using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>A checkpoint file whose tensor names, dtypes and shapes are known before any weight is read.</summary>
internal interface ITensorFile : IDisposable
{
    string Path { get; }

    /// <summary>Every stored tensor by name (offsets are relative to the tensor's own data region).</summary>
    IReadOnlyDictionary<string, StoredTensor> Tensors { get; }

    /// <summary>Reads one floating tensor, widened to float32.</summary>
    HostTensor<float> ReadFloat32(string name);

    /// <summary>Reads one floating tensor, widened to float32, into <paramref name="destination"/> (exactly its element count).</summary>
    void ReadFloat32(string name, Span<float> destination);

    /// <summary>Reads one integer tensor (a buffer such as AudioVAE V2's <c>sr_bin_boundaries</c>), widened to int64.</summary>
    HostTensor<long> ReadInt64(string name);
}
