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
    /// <paramref name="mu"/> is the DiT condition <c>[B, MuWidth]</c>, <paramref name="cond"/> the previous patch
    /// <c>[B, P, D]</c> (zeros at the first zero-shot step), <paramref name="noise"/> the initial state z <c>[B, P, D]</c>
    /// (standard normal × temperature). Returns the generated patch <c>[B, P, D]</c>.
    /// </summary>
    public HostTensor<float> Solve(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, int steps, float cfgValue)
    {
        ArgumentNullException.ThrowIfNull(noise);
        int batch = noise.Shape[0];
        var cfg = new float[batch];
        var counts = new int[batch];
        Array.Fill(cfg, cfgValue);
        Array.Fill(counts, steps);
        return Solve(mu, cond, noise, cfg, counts);
    }

    /// <summary>
    /// As above with a CFG value and a step count per row. Rows on different schedules share one estimator batch per
    /// iteration: at iteration k every row still integrating (past its zero-velocity steps, k &lt; its step count) steps
    /// with its own time embedding and dt.
    /// </summary>
    public HostTensor<float> Solve(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps)
    {
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(noise);
        int batch = noise.Shape[0];
        if (steps.Length > 0 && steps.IndexOfAnyExcept(steps[0]) < 0)
        {
            return dit.SolveShared(mu, cond, noise, cfg, steps[0]);
        }

        if (dit.UsesCudaGraphs)
        {
            // A graph replay per Euler step beats sharing one estimator batch across schedules on a GPU.
            return SolveByStepCount(mu, cond, noise, cfg, steps);
        }

        int patch = noise.Data.Length / batch;
        int hidden = dit.Hidden;
        int muWidth = dit.MuWidth;
        var x = (float[])noise.Data.Clone();
        var schedules = new (CfmSchedule Schedule, float[] Embeddings)[batch];
        int maxSteps = 0;
        for (int b = 0; b < batch; b++)
        {
            schedules[b] = dit.Schedule(steps[b]);
            maxSteps = Math.Max(maxSteps, steps[b]);
        }

        var active = new List<int>(batch);
        for (int k = 0; k < maxSteps; k++)
        {
            active.Clear();
            for (int b = 0; b < batch; b++)
            {
                if (k >= schedules[b].Schedule.ZeroVelocitySteps && k < steps[b])
                {
                    active.Add(b);
                }
            }

            if (active.Count == 0)
            {
                continue;
            }

            int n = active.Count;
            var xIn = new float[n * patch];
            var muIn = new float[n * muWidth];
            var condIn = new float[n * patch];
            var temb = new float[n * hidden];
            var dt = new float[n];
            var cfgIn = new float[n];
            for (int r = 0; r < n; r++)
            {
                int b = active[r];
                x.AsSpan(b * patch, patch).CopyTo(xIn.AsSpan(r * patch));
                mu.Data.AsSpan(b * muWidth, muWidth).CopyTo(muIn.AsSpan(r * muWidth));
                cond.Data.AsSpan(b * patch, patch).CopyTo(condIn.AsSpan(r * patch));
                schedules[b].Embeddings.AsSpan(k * hidden, hidden).CopyTo(temb.AsSpan(r * hidden));
                dt[r] = schedules[b].Schedule.Dts[k];
                cfgIn[r] = cfg[b];
            }

            var patchShape = noise.Shape.ToArray();
            patchShape[0] = n;
            var next = dit.Step(
                new HostTensor<float>(xIn, patchShape),
                new HostTensor<float>(muIn, n, muWidth),
                new HostTensor<float>(condIn, patchShape),
                new HostTensor<float>(temb, n, hidden),
                new HostTensor<float>(dt, n),
                new HostTensor<float>(cfgIn, n));
            for (int r = 0; r < n; r++)
            {
                next.Data.AsSpan(r * patch, patch).CopyTo(x.AsSpan(active[r] * patch));
            }
        }

        return new HostTensor<float>(x, noise.Shape);
    }

    /// <summary>Rows grouped by step count, each group solved with its shared schedule; rows are independent, so the result is the same.</summary>
    internal HostTensor<float> SolveByStepCount(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps)
    {
        int batch = noise.Shape[0];
        int patch = noise.Data.Length / batch;
        int muWidth = dit.MuWidth;
        var result = new float[noise.Data.Length];
        int[] groupShape = [.. noise.Shape];
        var stepCounts = steps.ToArray();
        foreach (int count in stepCounts.Distinct())
        {
            var rows = Enumerable.Range(0, batch).Where(b => stepCounts[b] == count).ToArray();
            groupShape[0] = rows.Length;
            var groupMu = new float[rows.Length * muWidth];
            var groupCond = new float[rows.Length * patch];
            var groupNoise = new float[rows.Length * patch];
            var groupCfg = new float[rows.Length];
            for (int r = 0; r < rows.Length; r++)
            {
                mu.Data.AsSpan(rows[r] * muWidth, muWidth).CopyTo(groupMu.AsSpan(r * muWidth));
                cond.Data.AsSpan(rows[r] * patch, patch).CopyTo(groupCond.AsSpan(r * patch));
                noise.Data.AsSpan(rows[r] * patch, patch).CopyTo(groupNoise.AsSpan(r * patch));
                groupCfg[r] = cfg[rows[r]];
            }

            var solved = dit.SolveShared(
                new HostTensor<float>(groupMu, rows.Length, muWidth),
                new HostTensor<float>(groupCond, groupShape),
                new HostTensor<float>(groupNoise, groupShape),
                groupCfg,
                count);
            for (int r = 0; r < rows.Length; r++)
            {
                solved.Data.AsSpan(r * patch, patch).CopyTo(result.AsSpan(rows[r] * patch));
            }
        }

        return new HostTensor<float>(result, noise.Shape);
    }
}
