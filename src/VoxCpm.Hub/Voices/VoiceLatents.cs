using System.Buffers.Binary;
using System.Runtime.InteropServices;
using VoxCpm.Engine;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Hub.Voices;

/// <summary>Latents as stored in <c>voice_encodings</c>: little-endian float32 bytes plus their shape, tied to one model.</summary>
internal static class VoiceLatents
{
    /// <summary>
    /// Names the model the latents belong to: the configured model plus the shape facts that make latents
    /// incompatible (sample rate, patch size, latent width), so a swapped checkpoint re-encodes.
    /// </summary>
    public static string ModelId(string modelName, VoxCpmEngine engine) =>
        $"{modelName}|{engine.Config.SampleRate}Hz|patch{engine.Config.PatchSize}|feat{engine.Config.FeatDim}";

    public static byte[] ToBytes(HostTensor<float> patches)
    {
        var data = patches.Data;
        var bytes = new byte[data.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(data.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
            }
        }

        return bytes;
    }

    public static HostTensor<float> FromBytes(byte[] bytes, int[] shape)
    {
        var data = new float[bytes.Length / sizeof(float)];
        if (HostTensor<float>.ElementCount(shape) != data.Length)
        {
            throw new InvalidDataException($"stored latents hold {data.Length} floats but their shape {HostTensor<float>.ShapeToText(shape)} needs {HostTensor<float>.ElementCount(shape)}");
        }

        for (var i = 0; i < data.Length; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return new HostTensor<float>(data, shape);
    }
}
