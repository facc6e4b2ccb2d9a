using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// A serialized ONNX graph plus the weights it references. The protobuf holds only the graph and small constants;
/// large weights stay in managed memory and are handed to ONNX Runtime with <c>AddInitializer</c>, so there is no
/// 2 GB protobuf limit and no copy of the model on disk.
/// </summary>
internal sealed class OnnxModel : IDisposable
{
    internal OnnxModel(string name, byte[] bytes, IReadOnlyList<KeyValuePair<string, OrtValue>> weights)
    {
        Name = name;
        Bytes = bytes;
        Weights = weights;
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    /// <summary>Weights by initializer name. They must outlive every session created from this model.</summary>
    public IReadOnlyList<KeyValuePair<string, OrtValue>> Weights { get; }

    public void Dispose()
    {
        foreach (var (_, value) in Weights)
        {
            value.Dispose();
        }
    }
}
