namespace VoxCpm.Engine.Sampling;

/// <summary>
/// The Euler schedule of the unified CFM sampler (model doc §3.7): t_k = linspace(1, 0, N+1) swayed to
/// 2t + cos(πt/2) − 1, run from 1 (noise) to 0 (data). Step k (0-based) evaluates the velocity at <see cref="Times"/>[k]
/// and moves x by −<see cref="Dts"/>[k]·v; the first <see cref="ZeroVelocitySteps"/> steps use v = 0 (CFG-Zero* init).
/// The running time and step follow the reference's recurrences (t ← t − dt, dt ← t − t_span[k+1]) in the run dtype.
/// </summary>
internal sealed class CfmSchedule
{
    private CfmSchedule(int steps, float[] times, float[] dts)
    {
        Steps = steps;
        Times = times;
        Dts = dts;
        ZeroVelocitySteps = Math.Max(1, (int)((steps + 1) * 0.04));
    }

    public int Steps { get; }

    public IReadOnlyList<float> Times { get; }

    public IReadOnlyList<float> Dts { get; }

    public int ZeroVelocitySteps { get; }

    public static CfmSchedule Create(int steps, bool bf16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        float R(float v) => Bf16.RoundIf(bf16, v);

        // torch.linspace: the first half counts up from start, the second half down from end.
        int count = steps + 1;
        float step = R(-1f / steps);
        var span = new float[count];
        for (int i = 0; i < count; i++)
        {
            span[i] = i < count / 2 ? R(1f + R(step * i)) : R(0f - R(step * (count - i - 1)));
        }

        for (int i = 0; i < count; i++)
        {
            float t = span[i];
            float sway = R(R(R(MathF.Cos(R(MathF.PI / 2 * t))) - 1f) + t);
            span[i] = R(t + sway);
        }

        var times = new float[steps];
        var dts = new float[steps];
        float current = span[0];
        float dt = R(span[0] - span[1]);
        for (int k = 0; k < steps; k++)
        {
            times[k] = current;
            dts[k] = dt;
            current = R(current - dt);
            if (k + 2 < count)
            {
                dt = R(current - span[k + 2]);
            }
        }

        return new CfmSchedule(steps, times, dts);
    }
}
