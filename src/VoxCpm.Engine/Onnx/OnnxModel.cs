namespace VoxCpm.Engine.Onnx;

/// <summary>
/// A serialized ONNX graph plus the weights it references. The protobuf holds only the graph and small constants;
/// large weights go to ONNX Runtime through a temporary external-data file (<see cref="ExternalWeightFile"/>), so there
/// is no 2 GB protobuf limit and the runtime owns the only copy once the session exists.
/// </summary>
internal sealed class OnnxModel : IDisposable
{
    private readonly List<ExternalWeight> _weights;

    internal OnnxModel(string name, byte[] bytes, IReadOnlyList<ExternalWeight> weights)
    {
        Name = name;
        Bytes = bytes;
        _weights = [.. weights];
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    /// <summary>The large weights, forgotten once written for the model's one session (<see cref="ReleaseWeights"/>).</summary>
    public IReadOnlyList<ExternalWeight> Weights => _weights;

    /// <summary>The bytes of <see cref="Weights"/> (before they are released).</summary>
    public long WeightBytes => _weights.Sum(w => w.ByteLength);

    /// <summary>Forgets the weights (their arrays, and what computed weights read from, become garbage once nothing else holds them).</summary>
    public void ReleaseWeights() => _weights.Clear();

    public void Dispose() => ReleaseWeights();
}
