using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Checkpoints;

/// <summary>Writes float32 tensors as a <c>.safetensors</c> file (8-byte header length, JSON header, raw data).</summary>
internal static class SafeTensorsWriter
{
    public static void Write(string path, IEnumerable<(string Name, HostTensor<float> Tensor)> tensors)
    {
        var header = new Dictionary<string, object>();
        using var data = new MemoryStream();
        foreach (var (name, tensor) in tensors)
        {
            long start = data.Position;
            data.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            header[name] = new { dtype = "F32", shape = tensor.Shape, data_offsets = new[] { start, data.Position } };
        }

        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((long)json.Length));
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
    }
}
