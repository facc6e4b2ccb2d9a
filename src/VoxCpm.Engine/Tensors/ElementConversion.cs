using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VoxCpm.Engine.Tensors;

/// <summary>Widens stored little-endian elements to float32 or int64.</summary>
public static class ElementConversion
{
    public static void ToFloat32(ReadOnlySpan<byte> source, TensorElementKind kind, Span<float> destination)
    {
        int n = destination.Length;
        if (source.Length != (long)n * kind.ByteSize())
        {
            throw new InvalidDataException($"Expected {(long)n * kind.ByteSize()} bytes of {kind} data but found {source.Length}.");
        }

        switch (kind)
        {
            case TensorElementKind.Float32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case TensorElementKind.BFloat16:
                // bf16 is the top half of an IEEE float32: widening is exact.
                for (int i = 0; i < n; i++)
                {
                    uint bits = (uint)BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)) << 16;
                    destination[i] = BitConverter.UInt32BitsToSingle(bits);
                }

                break;
            case TensorElementKind.Float16:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)));
                }

                break;
            case TensorElementKind.Float64:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source.Slice(8 * i, 8));
                }

                break;
            default:
                throw new InvalidDataException($"A {kind} tensor cannot be read as floating point.");
        }
    }

    public static void ToInt64(ReadOnlySpan<byte> source, TensorElementKind kind, Span<long> destination)
    {
        int n = destination.Length;
        if (source.Length != (long)n * kind.ByteSize())
        {
            throw new InvalidDataException($"Expected {(long)n * kind.ByteSize()} bytes of {kind} data but found {source.Length}.");
        }

        for (int i = 0; i < n; i++)
        {
            destination[i] = kind switch
            {
                TensorElementKind.Int64 => BinaryPrimitives.ReadInt64LittleEndian(source.Slice(8 * i, 8)),
                TensorElementKind.Int32 => BinaryPrimitives.ReadInt32LittleEndian(source.Slice(4 * i, 4)),
                TensorElementKind.Int16 => BinaryPrimitives.ReadInt16LittleEndian(source.Slice(2 * i, 2)),
                TensorElementKind.Int8 => (sbyte)source[i],
                TensorElementKind.UInt8 or TensorElementKind.Bool => source[i],
                _ => throw new InvalidDataException($"A {kind} tensor cannot be read as an integer."),
            };
        }
    }
}
