using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// <see cref="IVoxCpmModules"/> over the ONNX Runtime <see cref="VoxCpmModules"/>: prefill mixes text and audio
/// embeddings and applies FSQ at audio positions (model doc §4.2); the decode pieces run batched.
/// </summary>
internal sealed class OnnxVoxCpmModules(VoxCpmModules modules) : IVoxCpmModules
{
    private readonly int _hidden = modules.Config.LmConfig.HiddenSize;
    private readonly int _patch = modules.Config.PatchSize;
    private readonly int _featDim = modules.Config.FeatDim;

    public VoxCpmConfig Config => modules.Config;

    public VoxCpmModules Modules => modules;

    public ILmState Prefill(ReadOnlySpan<long> ids, HostTensor<float> feats, ReadOnlySpan<byte> audioMask)
    {
        int length = ids.Length;
        int h = _hidden;
        var input = modules.TextEmbeddings(ids.ToArray()).Data;
        float[]? featEmbed = null;
        if (audioMask.Contains((byte)1))
        {
            featEmbed = modules.EncodePatches(feats).FeatEmbed.Data;
            for (int t = 0; t < length; t++)
            {
                if (audioMask[t] != 0)
                {
                    featEmbed.AsSpan(t * h, h).CopyTo(input.AsSpan(t * h, h));
                }
            }
        }

        var state = new LmState(modules.BaseLm.CreateCache(1), modules.ResidualLm.CreateCache(1), h);
        try
        {
            var baseOut = VoxCpmModules.Prefill(modules.BaseLm, state.BaseCache, new HostTensor<float>(input, 1, length, h));
            var hidden = baseOut.Hidden.Data;
            var quantized = baseOut.HiddenFsq!.Data;
            var residualIn = new float[length * h];
            for (int t = 0; t < length; t++)
            {
                var row = residualIn.AsSpan(t * h, h);
                if (audioMask[t] != 0)
                {
                    quantized.AsSpan(t * h, h).CopyTo(row);
                    Add(row, featEmbed.AsSpan(t * h, h));
                }
                else
                {
                    hidden.AsSpan(t * h, h).CopyTo(row);
                }
            }

            var residualOut = VoxCpmModules.Prefill(modules.ResidualLm, state.ResidualCache, new HostTensor<float>(residualIn, 1, length, h)).Hidden.Data;
            var last = audioMask[length - 1] != 0 ? quantized : hidden;
            last.AsSpan((length - 1) * h, h).CopyTo(state.LmHidden);
            residualOut.AsSpan((length - 1) * h, h).CopyTo(state.ResidualHidden);
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    public void ComputeMu(IReadOnlyList<ILmState> states, Span<float> mu)
    {
        var (lm, residual) = Stack(states);
        modules.Mu(lm, residual).Data.CopyTo(mu);
    }

    public void ComputeStopLogits(IReadOnlyList<ILmState> states, Span<float> logits) =>
        modules.StopLogits(Stack(states).Lm).Data.CopyTo(logits);

    public void SolveCfm(ReadOnlySpan<float> mu, ReadOnlySpan<float> cond, ReadOnlySpan<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps, Span<float> patches)
    {
        int rows = cfg.Length;
        int muWidth = mu.Length / rows;
        int patchValues = _patch * _featDim;

        // Rows with the same solver settings share one batched solve.
        var groups = new Dictionary<(int Steps, float Cfg), List<int>>();
        for (int r = 0; r < rows; r++)
        {
            var key = (steps[r], cfg[r]);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(r);
        }

        foreach (var ((groupSteps, groupCfg), members) in groups)
        {
            int n = members.Count;
            var groupMu = new float[n * muWidth];
            var groupCond = new float[n * patchValues];
            var groupNoise = new float[n * patchValues];
            for (int i = 0; i < n; i++)
            {
                int r = members[i];
                mu.Slice(r * muWidth, muWidth).CopyTo(groupMu.AsSpan(i * muWidth));
                Transpose(cond.Slice(r * patchValues, patchValues), groupCond.AsSpan(i * patchValues, patchValues), _featDim, _patch);
                Transpose(noise.Slice(r * patchValues, patchValues), groupNoise.AsSpan(i * patchValues, patchValues), _featDim, _patch);
            }

            var result = modules.SolveCfm(
                new HostTensor<float>(groupMu, n, muWidth),
                new HostTensor<float>(groupCond, n, _patch, _featDim),
                new HostTensor<float>(groupNoise, n, _patch, _featDim),
                groupSteps,
                groupCfg).Data;
            for (int i = 0; i < n; i++)
            {
                Transpose(result.AsSpan(i * patchValues, patchValues), patches.Slice(members[i] * patchValues, patchValues), _patch, _featDim);
            }
        }
    }

    public void EncodePatches(ReadOnlySpan<float> patches, int count, Span<float> embeddings) =>
        modules.EncodePatches(new HostTensor<float>(patches.ToArray(), count, _patch, _featDim)).FeatEmbed.Data.CopyTo(embeddings);

    public void StepLanguageModels(IReadOnlyList<ILmState> states, ReadOnlySpan<float> embeddings)
    {
        int h = _hidden;
        for (int i = 0; i < states.Count; i++)
        {
            var state = (LmState)states[i];
            var e = embeddings.Slice(i * h, h).ToArray();
            var baseOut = VoxCpmModules.DecodeStep(modules.BaseLm, state.BaseCache, new HostTensor<float>(e, 1, h));
            var lmHidden = baseOut.HiddenFsq!.Data;
            var residualIn = (float[])lmHidden.Clone();
            Add(residualIn, e);
            var residualOut = VoxCpmModules.DecodeStep(modules.ResidualLm, state.ResidualCache, new HostTensor<float>(residualIn, 1, h)).Hidden.Data;
            lmHidden.CopyTo(state.LmHidden, 0);
            residualOut.CopyTo(state.ResidualHidden, 0);
        }
    }

    public void Dispose() => modules.Dispose();

    private (HostTensor<float> Lm, HostTensor<float> Residual) Stack(IReadOnlyList<ILmState> states)
    {
        int h = _hidden;
        var lm = new float[states.Count * h];
        var residual = new float[states.Count * h];
        for (int i = 0; i < states.Count; i++)
        {
            var s = (LmState)states[i];
            s.LmHidden.CopyTo(lm, i * h);
            s.ResidualHidden.CopyTo(residual, i * h);
        }

        return (new HostTensor<float>(lm, states.Count, h), new HostTensor<float>(residual, states.Count, h));
    }

    private static void Add(Span<float> destination, ReadOnlySpan<float> addend)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] += addend[i];
        }
    }

    /// <summary>[rows, cols] → [cols, rows].</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                destination[(c * rows) + r] = source[(r * cols) + c];
            }
        }
    }

    private sealed class LmState(LmKvCache baseCache, LmKvCache residualCache, int hidden) : ILmState
    {
        public LmKvCache BaseCache { get; } = baseCache;

        public LmKvCache ResidualCache { get; } = residualCache;

        public float[] LmHidden { get; } = new float[hidden];

        public float[] ResidualHidden { get; } = new float[hidden];

        public int Length => BaseCache.Lengths[0];

        public void Dispose()
        {
            BaseCache.Dispose();
            ResidualCache.Dispose();
        }
    }
}
