using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// A serialized ONNX graph plus the weights it references. The protobuf holds only the graph and small constants;
/// large weights stay in managed memory and are handed to ONNX Runtime with <c>AddInitializer</c>, so there is no
/// 2 GB protobuf limit and no copy of the model on disk (CUDA sessions take them through a temporary file instead,
/// see <see cref="ExternalWeightFile"/>).
/// </summary>
internal sealed class OnnxModel : IDisposable
{
    private readonly List<KeyValuePair<string, OrtValue>> _weights;

    internal OnnxModel(string name, byte[] bytes, IReadOnlyList<KeyValuePair<string, OrtValue>> weights)
    {
        Name = name;
        Bytes = bytes;
        _weights = [.. weights];
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    /// <summary>
    /// Weights by initializer name. On the CPU provider they must outlive every session created from this model; on
    /// CUDA they are released once written for the session (<see cref="ReleaseWeights"/>).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, OrtValue>> Weights => _weights;

    /// <summary>Unpins and forgets the weights (their managed buffers become garbage once nothing else holds them).</summary>
    public void ReleaseWeights()
    {
        foreach (var (_, value) in _weights)
        {
            value.Dispose();
        }

        _weights.Clear();
    }

    public void Dispose() => ReleaseWeights();
}
