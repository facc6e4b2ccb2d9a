using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>float32 ↔ IEEE float16 (ONNX Runtime's <see cref="Float16"/> has the same bits as <see cref="Half"/>).</summary>
internal static class HalfConversion
{
    /// <summary>Rounds to the nearest float16 (ties to even); magnitudes above 65504 become infinity.</summary>
    public static Float16[] ToFloat16(ReadOnlySpan<float> source)
    {
        using var phase = Checkpoints.LoadClock.Measure(Checkpoints.LoadPhase.WeightConversion);
        var result = new Float16[source.Length];
        var halves = MemoryMarshal.Cast<Float16, Half>(result.AsSpan());
        for (int i = 0; i < source.Length; i++)
        {
            halves[i] = (Half)source[i];
        }

        return result;
    }

    /// <summary>Widens float16 to float32 (exact).</summary>
    public static void ToFloat32(ReadOnlySpan<Float16> source, Span<float> destination)
    {
        var halves = MemoryMarshal.Cast<Float16, Half>(source);
        for (int i = 0; i < halves.Length; i++)
        {
            destination[i] = (float)halves[i];
        }
    }
}
