using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// <see cref="IVoxCpmModules"/> over the ONNX Runtime modules: the generation loop's view of the model. Each request
/// holds one slot of an <see cref="LmSlotPool"/>; every call (LM step, mu, stop logits, LocEnc, CFM) runs all rows of
/// the batch at once.
/// </summary>
internal sealed class OnnxVoxCpmModules : IVoxCpmModules
{
    private readonly VoxCpmModules _modules;
    private readonly LmSlotPool _slots;

    /// <param name="config">The checkpoint's config.</param>
    /// <param name="weights">The checkpoint's weights.</param>
    /// <param name="options">Device and threads.</param>
    /// <param name="slots">Requests that may hold LM state at once (the scheduler's max concurrency).</param>
    public OnnxVoxCpmModules(VoxCpmConfig config, IWeightSource weights, OnnxRuntimeOptions options, int slots = 1)
    {
        _modules = new VoxCpmModules(config, weights, options);
        try
        {
            _slots = new LmSlotPool(_modules.BaseLm, _modules.ResidualLm, slots);
        }
        catch
        {
            _modules.Dispose();
            throw;
        }
    }

    public VoxCpmConfig Config => _modules.Config;

    /// <summary>The underlying module sessions (for parity checks and tools).</summary>
    public VoxCpmModules Modules => _modules;

    private int Hidden => Config.LmConfig.HiddenSize;

    private int PatchValues => Config.PatchSize * Config.FeatDim;

    public ILmState Prefill(ReadOnlySpan<long> ids, HostTensor<float> feats, ReadOnlySpan<byte> audioMask)
    {
        ArgumentNullException.ThrowIfNull(feats);
        int length = ids.Length;
        int h = Hidden;
        if (feats.Shape[0] != length || audioMask.Length != length)
        {
            throw new ArgumentException($"Prefill needs one id, one patch and one mask value per position; got {length} ids, feats {feats.ShapeText} and {audioMask.Length} mask values.");
        }

        var combined = _modules.TextEmbeddings(ids.ToArray()).Data;
        float[]? featEmbed = null;
        if (audioMask.IndexOfAnyExcept((byte)0) >= 0)
        {
            featEmbed = _modules.EncodePatches(feats).FeatEmbed.Data;
        }

        // embeds = text_mask·E[id] + audio_mask·feat_embed (the masks are complementary).
        for (int t = 0; t < length; t++)
        {
            if (audioMask[t] != 0)
            {
                featEmbed.AsSpan(t * h, h).CopyTo(combined.AsSpan(t * h));
            }
        }

        var state = new OnnxLmState(_slots, _slots.Rent(), h);
        try
        {
            using var baseCache = _slots.Base.Slice(state.Slot, 1);
            using var residualCache = _slots.Residual.Slice(state.Slot, 1);
            var baseOut = VoxCpmModules.Prefill(_modules.BaseLm, baseCache, new HostTensor<float>(combined, 1, length, h));

            // FSQ only at audio positions; the residual LM also sees the audio embedding there.
            var residualIn = baseOut.Hidden.Data;
            for (int t = 0; t < length; t++)
            {
                if (audioMask[t] != 0)
                {
                    for (int i = t * h; i < (t + 1) * h; i++)
                    {
                        residualIn[i] = baseOut.HiddenFsq!.Data[i] + featEmbed![i];
                    }
                }
            }

            var residualOut = VoxCpmModules.Prefill(_modules.ResidualLm, residualCache, new HostTensor<float>(residualIn, 1, length, h));
            int last = (length - 1) * h;
            var lastHidden = audioMask[length - 1] != 0 ? baseOut.HiddenFsq!.Data : baseOut.Hidden.Data;
            lastHidden.AsSpan(last, h).CopyTo(state.LmHidden);
            residualOut.Hidden.Data.AsSpan(last, h).CopyTo(state.ResidualHidden);
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
        var (lm, residual) = Gather(states);
        _modules.Mu(lm, residual).Data.CopyTo(mu);
    }

    public void ComputeStopLogits(IReadOnlyList<ILmState> states, Span<float> logits) =>
        _modules.StopLogits(Gather(states).Lm).Data.CopyTo(logits);

    public void SolveCfm(ReadOnlySpan<float> mu, ReadOnlySpan<float> cond, ReadOnlySpan<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps, Span<float> patches)
    {
        int b = cfg.Length;
        var result = _modules.Dit.Solve(
            new HostTensor<float>(mu.ToArray(), b, Config.DitConfig.HiddenDim),
            ToPatchMajor(cond, b),
            ToPatchMajor(noise, b),
            cfg,
            steps);
        ToChannelMajor(result.Data, patches);
    }

    public void EncodePatches(ReadOnlySpan<float> patches, int count, Span<float> embeddings) =>
        _modules.EncodePatches(new HostTensor<float>(patches[..(count * PatchValues)].ToArray(), count, Config.PatchSize, Config.FeatDim)).FeatEmbed.Data.CopyTo(embeddings);

    public void StepLanguageModels(IReadOnlyList<ILmState> states, ReadOnlySpan<float> embeddings)
    {
        int h = Hidden;
        int rows = _slots.RowsInUse;
        var e = new float[rows * h];
        var stepped = new bool[rows];
        foreach (var (state, i) in states.Select((s, i) => (Cast(s), i)))
        {
            embeddings.Slice(i * h, h).CopyTo(e.AsSpan(state.Slot * h, h));
            stepped[state.Slot] = true;
        }

        // Rows not stepped (free slots, requests stopping this step) keep their lengths; a rewritten KV
        // position is idempotent, so a failed step can simply be repeated.
        var baseLengths = _slots.Base.Lengths[..rows].ToArray();
        var residualLengths = _slots.Residual.Lengths[..rows].ToArray();
        try
        {
            using var baseCache = _slots.Base.Slice(0, rows);
            using var residualCache = _slots.Residual.Slice(0, rows);
            var lmHidden = VoxCpmModules.DecodeStep(_modules.BaseLm, baseCache, new HostTensor<float>(e, rows, h)).HiddenFsq!.Data;
            var residualIn = new float[rows * h];
            for (int j = 0; j < residualIn.Length; j++)
            {
                residualIn[j] = lmHidden[j] + e[j];
            }

            var residualHidden = VoxCpmModules.DecodeStep(_modules.ResidualLm, residualCache, new HostTensor<float>(residualIn, rows, h)).Hidden.Data;
            foreach (var s in states.Select(Cast))
            {
                lmHidden.AsSpan(s.Slot * h, h).CopyTo(s.LmHidden);
                residualHidden.AsSpan(s.Slot * h, h).CopyTo(s.ResidualHidden);
            }
        }
        catch
        {
            baseLengths.CopyTo(_slots.Base.Lengths);
            residualLengths.CopyTo(_slots.Residual.Lengths);
            throw;
        }

        for (int r = 0; r < rows; r++)
        {
            if (!stepped[r])
            {
                _slots.Base.Lengths[r] = baseLengths[r];
                _slots.Residual.Lengths[r] = residualLengths[r];
            }
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _modules.Dispose();
    }

    private static OnnxLmState Cast(ILmState state) =>
        state as OnnxLmState ?? throw new ArgumentException($"A {state?.GetType().Name ?? "null"} state does not belong to these modules.", nameof(state));

    private (HostTensor<float> Lm, HostTensor<float> Residual) Gather(IReadOnlyList<ILmState> states)
    {
        int h = Hidden;
        var lm = new float[states.Count * h];
        var residual = new float[states.Count * h];
        for (int i = 0; i < states.Count; i++)
        {
            var s = Cast(states[i]);
            s.LmHidden.CopyTo(lm, i * h);
            s.ResidualHidden.CopyTo(residual, i * h);
        }

        return (new HostTensor<float>(lm, states.Count, h), new HostTensor<float>(residual, states.Count, h));
    }

    /// <summary><c>[B, D, P]</c> (the loop's layout, as torch draws noise) → <c>[B, P, D]</c>.</summary>
    private HostTensor<float> ToPatchMajor(ReadOnlySpan<float> channelMajor, int batch)
    {
        int p = Config.PatchSize;
        int d = Config.FeatDim;
        var data = new float[batch * p * d];
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < d; c++)
            {
                for (int j = 0; j < p; j++)
                {
                    data[(b * p * d) + (j * d) + c] = channelMajor[(b * p * d) + (c * p) + j];
                }
            }
        }

        return new HostTensor<float>(data, batch, p, d);
    }

    private void ToChannelMajor(ReadOnlySpan<float> patchMajor, Span<float> channelMajor)
    {
        int p = Config.PatchSize;
        int d = Config.FeatDim;
        int batch = patchMajor.Length / (p * d);
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < p; j++)
            {
                for (int c = 0; c < d; c++)
                {
                    channelMajor[(b * p * d) + (c * p) + j] = patchMajor[(b * p * d) + (j * d) + c];
                }
            }
        }
    }

    private sealed class OnnxLmState(LmSlotPool pool, int slot, int hidden) : ILmState
    {
        private bool _disposed;

        public int Slot { get; } = slot;

        public float[] LmHidden { get; } = new float[hidden];

        public float[] ResidualHidden { get; } = new float[hidden];

        public int Length => pool.Base.Lengths[Slot];

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                pool.Return(Slot);
            }
        }
    }
}
