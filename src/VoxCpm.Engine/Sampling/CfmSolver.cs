using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Sampling;

/// <summary>
/// Solves the flow-matching ODE for a batch of patches (model doc §3.7): Euler from t = 1 to 0 on the swayed schedule,
/// zero velocity for the first steps, then one guided <see cref="LocalDit.Step"/> per remaining step.
/// </summary>
internal sealed class CfmSolver(LocalDit dit)
{
    /// <summary>
    /// <paramref name="mu"/> is the DiT condition <c>[B, H_dit]</c>, <paramref name="cond"/> the previous patch
    /// <c>[B, P, D]</c> (zeros at the first zero-shot step), <paramref name="noise"/> the initial state z <c>[B, P, D]</c>
    /// (standard normal × temperature). Returns the generated patch <c>[B, P, D]</c>.
    /// </summary>
    public HostTensor<float> Solve(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, int steps, float cfgValue)
    {
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(noise);
        int batch = noise.Shape[0];
        var (schedule, embeddings) = dit.Schedule(steps);
        int hidden = dit.Hidden;
        var x = new HostTensor<float>((float[])noise.Data.Clone(), noise.Shape);
        var temb = new float[batch * hidden];
        var dt = new float[batch];
        var cfg = new float[batch];
        Array.Fill(cfg, cfgValue);
        for (int k = schedule.ZeroVelocitySteps; k < steps; k++)
        {
            for (int b = 0; b < batch; b++)
            {
                embeddings.AsSpan(k * hidden, hidden).CopyTo(temb.AsSpan(b * hidden));
            }

            Array.Fill(dt, schedule.Dts[k]);
            x = dit.Step(x, mu, cond, new HostTensor<float>(temb, batch, hidden), new HostTensor<float>(dt, batch), new HostTensor<float>(cfg, batch));
        }

        return x;
    }
}
