namespace VoxCpm.Engine.Sampling;

/// <summary>
/// The LocDiT's sinusoidal time embedding (model doc §3.6): half = dim/2, freq_j = exp(−j·ln(10000)/(half−1)),
/// arg_j = 1000·t·freq_j, output [sin(arg), cos(arg)] (sine half first). Computed on the host in the run dtype:
/// float32, or bf16 (rounding after every op, including the integer ramp j) when the checkpoint runs in bfloat16.
/// </summary>
internal static class TimestepSinusoid
{
    private const float Scale = 1000f;

    public static void Compute(float t, bool bf16, Span<float> destination)
    {
        int half = destination.Length / 2;
        float exponentStep = (float)-(Math.Log(10000) / (half - 1));
        float scaledT = Bf16.RoundIf(bf16, Scale * t);
        for (int j = 0; j < half; j++)
        {
            float ramp = Bf16.RoundIf(bf16, j);
            float freq = Bf16.RoundIf(bf16, MathF.Exp(Bf16.RoundIf(bf16, ramp * exponentStep)));
            float arg = Bf16.RoundIf(bf16, scaledT * freq);
            destination[j] = Bf16.RoundIf(bf16, MathF.Sin(arg));
            destination[half + j] = Bf16.RoundIf(bf16, MathF.Cos(arg));
        }
    }
}
