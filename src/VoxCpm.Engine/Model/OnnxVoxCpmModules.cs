using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Sampling;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// <see cref="IVoxCpmModules"/> over the ONNX Runtime modules: the generation loop's view of the model. Each request
/// holds one slot of an <see cref="LmSlotPool"/>; every call runs all rows of the batch at once. Between decode steps
/// everything a step hands to the next stays in the provider's memory (device memory on CUDA): the KV caches, each
/// slot's <c>lm_hidden</c> and <c>residual_hidden</c> (two buffers in turn, so a step keeps the rows it did not
/// advance), mu, the solver's state, the LocEnc embedding and the residual LM's input. What comes to the host per step
/// is what the loop must decide or keep: the stop logits (2 values per row) and the generated patch (the audio latent
/// the VAE turns into audio and the request's history keeps). Noise and the previous patch go up from the host.
/// </summary>
internal sealed partial class OnnxVoxCpmModules : IVoxCpmModules
{
    private readonly VoxCpmModules _modules;
    private readonly LmSlotPool _slots;
    private readonly DeviceMemory _device;
    private readonly ModuleSession _heads;
    private readonly ModuleSession _commit;
    private readonly OrtValue[] _lmHidden;
    private readonly OrtValue[] _residualHidden;
    private int _current;

    // What a decode step binds, per batch size (see OnnxVoxCpmModules.StepRuns.cs).
    private readonly PerBatchSize<HeadsRun> _headsRuns;
    private readonly PerBatchSize<RowsRun> _rowsRuns;

    // Host buffers the tools' calls reuse; and each slot row's lengths, kept while a step may fail.
    private float[] _condPatchMajor = [];
    private float[] _noisePatchMajor = [];
    private int[] _baseLengths = [];
    private int[] _residualLengths = [];

    /// <param name="config">The checkpoint's config.</param>
    /// <param name="weights">The checkpoint's weights.</param>
    /// <param name="options">Device and threads.</param>
    /// <param name="slots">Requests that may hold LM state at once (the scheduler's max concurrency).</param>
    public OnnxVoxCpmModules(VoxCpmConfig config, IWeightSource weights, OnnxRuntimeOptions options, int slots = 1)
    {
        _modules = new VoxCpmModules(config, weights, options);
        _device = new DeviceMemory(options);
        _headsRuns = new PerBatchSize<HeadsRun>(batch => new HeadsRun(this, batch));
        _rowsRuns = new PerBatchSize<RowsRun>(rows => new RowsRun(this, rows));
        try
        {
            _slots = new LmSlotPool(_modules.BaseLm, _modules.ResidualLm, slots);
            _heads = new ModuleSession(HeadGraphs.StepHeads(config, weights), options);
            _commit = new ModuleSession(HeadGraphs.CommitHidden(config.LmConfig.HiddenSize), options);
            int h = config.LmConfig.HiddenSize;
            _lmHidden = [_device.Allocate(slots, h), _device.Allocate(slots, h)];
            _residualHidden = [_device.Allocate(slots, h), _device.Allocate(slots, h)];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public VoxCpmConfig Config => _modules.Config;

    /// <summary>The underlying module sessions (for parity checks and tools).</summary>
    public VoxCpmModules Modules => _modules;

    private int Hidden => Config.LmConfig.HiddenSize;

    private int PatchValues => Config.PatchSize * Config.FeatDim;

    public void GeneratePatches(IReadOnlyList<ILmState> states, ReadOnlySpan<float> cond, ReadOnlySpan<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps, Span<float> patches, Span<float> stopLogits)
    {
        int b = states.Count;
        var run = RunHeads(states);
        run.Logits.Span.CopyTo(stopLogits);
        if (steps.IndexOfAnyExcept(steps[0]) < 0)
        {
            var solve = run.Solve;
            ToPatchMajor(cond, solve.Cond);
            ToPatchMajor(noise, solve.Noise);
            cfg.CopyTo(solve.Cfg);
            _modules.Dit.Solve(solve, run.Mu, steps[0]);
            ToChannelMajor(solve.Result, patches);
            return;
        }

        // Rows on different schedules share one estimator batch per Euler step (CfmSolver); mu comes to the host.
        var result = new CfmSolver(_modules.Dit).Solve(
            ReadHost(run.Mu, b, Config.MuWidth),
            ToPatchMajor(cond, b, ref _condPatchMajor),
            ToPatchMajor(noise, b, ref _noisePatchMajor),
            cfg,
            steps);
        ToChannelMajor(result.Data, patches);
    }

    public void StepLanguageModels(IReadOnlyList<ILmState> states, ReadOnlySpan<float> patches)
    {
        var run = _rowsRuns.For(_slots.RowsInUse);
        var slotPatches = run.Patches.Span;
        slotPatches.Clear();
        for (int i = 0; i < states.Count; i++)
        {
            patches.Slice(i * PatchValues, PatchValues).CopyTo(slotPatches[(Cast(states[i]).Slot * PatchValues)..]);
        }

        // LocEnc of every slot row (zeros where no request steps; their results are dropped at the commit).
        run.EncodePatches();
        StepFromEmbeddings(states, run);
    }

    public void Dispose()
    {
        _rowsRuns?.Dispose();
        _headsRuns?.Dispose();
        foreach (var value in (_lmHidden ?? []).Concat(_residualHidden ?? []))
        {
            value.Dispose();
        }

        _commit?.Dispose();
        _heads?.Dispose();
        _slots?.Dispose();
        _device.Dispose();
        _modules.Dispose();
    }

    private static OnnxLmState Cast(ILmState state) =>
        state as OnnxLmState ?? throw new ArgumentException($"A {state?.GetType().Name ?? "null"} state does not belong to these modules.", nameof(state));

    /// <summary>mu (left in provider memory) and the stop logits for each state's row from the slot hidden states.</summary>
    private HeadsRun RunHeads(IReadOnlyList<ILmState> states)
    {
        var run = _headsRuns.For(states.Count);
        var slots = run.Slots.Span;
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = Cast(states[i]).Slot;
        }

        run.RunHeads(_current);
        return run;
    }

    /// <summary>A reused buffer of exactly <paramref name="length"/> elements (ORT and the solver take whole arrays).</summary>
    private static T[] Sized<T>(ref T[] buffer, int length)
    {
        if (buffer.Length != length)
        {
            buffer = new T[length];
        }

        return buffer;
    }

    /// <summary>
    /// Both LMs one step from the slot-ordered embeddings in <paramref name="run"/>; the new hidden states of the states'
    /// rows replace theirs, every other row keeps its own (the step writes all rows; the commit picks).
    /// </summary>
    private void StepFromEmbeddings(IReadOnlyList<ILmState> states, RowsRun run)
    {
        int rows = _slots.RowsInUse;
        var stepped = run.Stepped.Span;
        stepped.Clear();
        for (int i = 0; i < states.Count; i++)
        {
            stepped[Cast(states[i]).Slot] = true;
        }

        // Rows not stepped (free slots, requests stopping this step) keep their lengths; a rewritten KV
        // position is idempotent, so a failed step can simply be repeated.
        var baseLengths = Sized(ref _baseLengths, rows);
        var residualLengths = Sized(ref _residualLengths, rows);
        _slots.Base.Lengths[..rows].CopyTo(baseLengths);
        _slots.Residual.Lengths[..rows].CopyTo(residualLengths);
        try
        {
            run.StepLanguageModels(_current);
            _current = 1 - _current;
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

    private HostTensor<float> ReadHost(OrtValue value, int rows, int columns)
    {
        var host = new float[rows * columns];
        using var target = OrtValue.CreateTensorValueFromMemory(host, [rows, columns]);
        _device.Copy((value, target));
        return new HostTensor<float>(host, rows, columns);
    }

    /// <summary><c>[B, D, P]</c> (the loop's layout, as torch draws noise) → <c>[B, P, D]</c>.</summary>
    private HostTensor<float> ToPatchMajor(ReadOnlySpan<float> channelMajor, int batch, ref float[] buffer)
    {
        var data = Sized(ref buffer, batch * PatchValues);
        ToPatchMajor(channelMajor, data);
        return new HostTensor<float>(data, batch, Config.PatchSize, Config.FeatDim);
    }

    private void ToPatchMajor(ReadOnlySpan<float> channelMajor, Span<float> data)
    {
        int p = Config.PatchSize;
        int d = Config.FeatDim;
        int batch = channelMajor.Length / (p * d);
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

    private sealed class OnnxLmState(LmSlotPool pool, int slot) : ILmState
    {
        private bool _disposed;

        public int Slot { get; } = slot;

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
