using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Stored elements to float32 for weight loading. bf16 — how the published checkpoints store most weights — takes
/// a vectorized path (a bf16 value is the upper half of a float32, so widening is a 16-bit shift and exact);
/// other kinds go through <see cref="ElementConversion"/>.
/// </summary>
internal static class Float32Widening
{
    public static void Widen(ReadOnlySpan<byte> source, TensorElementKind kind, Span<float> destination)
    {
        if (kind != TensorElementKind.BFloat16 || !BitConverter.IsLittleEndian || source.Length != 2L * destination.Length)
        {
            ElementConversion.ToFloat32(source, kind, destination);
            return;
        }

        var halves = MemoryMarshal.Cast<byte, ushort>(source);
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= halves.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(halves.Slice(i, Vector256<ushort>.Count)));
                Vector256.ShiftLeft(lower, 16).CopyTo(bits.Slice(i));
                Vector256.ShiftLeft(upper, 16).CopyTo(bits.Slice(i + Vector256<uint>.Count));
            }
        }

        for (; i < halves.Length; i++)
        {
            bits[i] = (uint)halves[i] << 16;
        }
    }
}
