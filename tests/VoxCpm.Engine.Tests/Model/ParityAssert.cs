using VoxCpm.Engine.Tensors;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>Compares engine tensors with fixture tensors and reports the max abs error in the test output.</summary>
internal static class ParityAssert
{
    /// <summary>The fixture README's tolerance for hidden states, logits and latents.</summary>
    public const float Tolerance = 1e-4f;

    public static float AssertClose(ITestOutputHelper output, string label, HostTensor<float> expected, HostTensor<float> actual, float tolerance = Tolerance)
    {
        Assert.True(expected.Data.Length == actual.Data.Length, $"{label}: expected {expected.ShapeText} but got {actual.ShapeText}");
        float error = MaxAbsError(expected.Data, actual.Data);
        output.WriteLine($"{label}: max abs error {error:E2} over {expected.Data.Length} values");
        Assert.True(error <= tolerance, $"{label}: max abs error {error:E3} exceeds {tolerance:E1}");
        return error;
    }

    public static float MaxAbsError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(expected[i] - actual[i]);
            if (!(d <= max))
            {
                max = float.IsNaN(d) ? float.PositiveInfinity : d;
            }
        }

        return max;
    }

    /// <summary>Rows [start, start+count) of a tensor whose first axis is the row axis.</summary>
    public static HostTensor<float> Rows(HostTensor<float> t, int start, int count)
    {
        int width = t.Data.Length / t.Shape[0];
        var shape = (int[])t.Shape.Clone();
        shape[0] = count;
        return new HostTensor<float>(t.Data.AsSpan(start * width, count * width).ToArray(), shape);
    }

    /// <summary>Swaps the last two axes: the reference's <c>[N, D, P]</c> patches ↔ the engine's <c>[N, P, D]</c>.</summary>
    public static HostTensor<float> SwapLastTwo(HostTensor<float> t) => Engine.Parity.ComponentCaseCheck.ChannelsLast(t);
}
