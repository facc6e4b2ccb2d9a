using Google.Protobuf;
using Onnx;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Writes a model's weights to a real external-data file and points its initializers at it, so that ONNX Runtime loads
/// them into memory of its own (device memory on CUDA; on the CPU buffers it can free once they are prepacked).
/// </summary>
internal static class ExternalWeightFile
{
    private const int Alignment = 64;

    /// <summary>
    /// Writes every weight of <paramref name="model"/> into <paramref name="folder"/>/<paramref name="fileName"/> and
    /// returns the model's bytes with each initializer's external data pointing at its range of that file.
    /// </summary>
    public static byte[] Write(OnnxModel model, string folder, string fileName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var proto = ModelProto.Parser.ParseFrom(model.Bytes);
        var weights = model.Weights.ToDictionary(w => w.Name, StringComparer.Ordinal);
        var scratch = new WeightScratch();
        using var file = new FileStream(Path.Combine(folder, fileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> padding = stackalloc byte[Alignment];
        foreach (var tensor in proto.Graph.Initializer)
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External || !weights.TryGetValue(tensor.Name, out var weight))
            {
                continue;
            }

            long offset = file.Position;
            weight.WriteTo(file, scratch);
            file.Write(padding[..(int)((Alignment - (file.Position % Alignment)) % Alignment)]);
            tensor.ExternalData.Clear();
            tensor.ExternalData.Add(Entry("location", fileName));
            tensor.ExternalData.Add(Entry("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            tensor.ExternalData.Add(Entry("length", weight.ByteLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return proto.ToByteArray();
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
