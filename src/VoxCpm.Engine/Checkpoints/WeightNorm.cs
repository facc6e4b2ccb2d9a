using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Folds PyTorch's old-style weight norm: <c>w = g · v / ‖v‖</c>, the norm taken per dim-0 slice over all other
/// dims (dim 0 is the output channel of a Conv1d and the input channel of a ConvTranspose1d; the rule is the same).
/// </summary>
internal static class WeightNorm
{
    public static HostTensor<float> Fold(HostTensor<float> g, HostTensor<float> v)
    {
        using var phase = LoadClock.Measure(LoadPhase.WeightConversion);
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(v);
        int rows = v.Shape.Length > 0 ? v.Shape[0] : throw new ArgumentException("weight_v must have at least one dimension.", nameof(v));
        if (g.Data.Length != rows)
        {
            throw new ArgumentException($"weight_g {g.ShapeText} does not have one gain per dim-0 slice of weight_v {v.ShapeText}.", nameof(g));
        }

        int rowLength = rows == 0 ? 0 : v.Data.Length / rows;
        var w = new float[v.Data.Length];
        for (int r = 0; r < rows; r++)
        {
            var slice = v.Data.AsSpan(r * rowLength, rowLength);
            double sumOfSquares = 0;
            foreach (float x in slice)
            {
                sumOfSquares += (double)x * x;
            }

            // Double precision, one rounding at the end: within an ulp of torch's float32 computation. A zero slice
            // gives NaN exactly as torch does (0 / 0).
            double scale = g.Data[r] / Math.Sqrt(sumOfSquares);
            var destination = w.AsSpan(r * rowLength, rowLength);
            for (int i = 0; i < rowLength; i++)
            {
                destination[i] = (float)(slice[i] * scale);
            }
        }

        return new HostTensor<float>(w, v.Shape);
    }
}
