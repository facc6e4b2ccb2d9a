using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>
/// What a decode step binds, made once per batch size and reused: a steady step creates no ORT values, bindings or
/// arrays. Two kinds, because the two halves of a step run different batches: the heads and the CFM run the requests
/// being stepped (<see cref="HeadsRun"/>), LocEnc and the LMs run every slot row in use (<see cref="RowsRun"/>). Each
/// binding that reads the slot hidden states exists twice, once per buffer of the pair the steps take turns with.
/// </summary>
internal sealed partial class OnnxVoxCpmModules
{
    /// <summary>The heads and the CFM for B stepped requests: slots in, mu (provider memory) and stop logits out.</summary>
    private sealed class HeadsRun : IDisposable
    {
        private readonly ReusableBinding[] _heads;

        public HeadsRun(OnnxVoxCpmModules m, int batch)
        {
            Slots = new PinnedTensor<long>(batch);
            Logits = new PinnedTensor<float>(batch, 2);
            Mu = m._device.Allocate(batch, m.Config.MuWidth);
            Solve = m._modules.Dit.CreateSharedSolve(batch, m.Config.PatchSize, m.Config.FeatDim);
            _heads = [Bind(m, 0), Bind(m, 1)];
        }

        public PinnedTensor<long> Slots { get; }

        public PinnedTensor<float> Logits { get; }

        public OrtValue Mu { get; }

        public SharedScheduleSolve Solve { get; }

        /// <summary>Runs the heads over the slot hidden states in buffer <paramref name="current"/>.</summary>
        public void RunHeads(int current) => _heads[current].Run();

        public void Dispose()
        {
            foreach (var binding in _heads)
            {
                binding.Dispose();
            }

            Solve.Dispose();
            Mu.Dispose();
            Logits.Dispose();
            Slots.Dispose();
        }

        private ReusableBinding Bind(OnnxVoxCpmModules m, int current) =>
            m._heads.CreateBinding()
                .Input(HeadGraphs.StepLmHidden, m._lmHidden[current])
                .Input(HeadGraphs.StepResidualHidden, m._residualHidden[current])
                .HostInput(HeadGraphs.StepSlots, Slots.Value)
                .Output(HeadGraphs.StepMu, Mu)
                .Output(HeadGraphs.StepLogits, Logits.Value);
    }

    /// <summary>
    /// LocEnc, both LMs and the hidden-state commit over slot rows [0, rows): each row's new patch in, the slot hidden
    /// states of the rows that stepped out (the others keep theirs).
    /// </summary>
    private sealed class RowsRun : IDisposable
    {
        private readonly DisposalStack _owned = new();
        private readonly ReusableBinding _locEnc;
        private readonly CausalLmStep _baseLm;
        private readonly CausalLmStep _residualLm;
        private readonly ReusableBinding[] _commit;

        public RowsRun(OnnxVoxCpmModules m, int rows)
        {
            int h = m.Hidden;
            Patches = _owned.Own(new PinnedTensor<float>(rows, m.Config.PatchSize, m.Config.FeatDim));
            Stepped = _owned.Own(new PinnedTensor<bool>(rows));
            Embeddings = _owned.Own(m._device.Allocate(rows, h));
            var lmHidden = _owned.Own(m._device.Allocate(rows, 1, h));
            var residualIn = _owned.Own(m._device.Allocate(rows, 1, h));
            var residualHidden = _owned.Own(m._device.Allocate(rows, 1, h));
            var embeddings = _owned.Own(DeviceMemory.View(Embeddings, 0, rows, h, rows, 1, h));
            var baseCache = _owned.Own(m._slots.Base.Slice(0, rows));
            var residualCache = _owned.Own(m._slots.Residual.Slice(0, rows));
            var lmNew = _owned.Own(DeviceMemory.View(lmHidden, 0, rows, h, rows, h));
            var residualNew = _owned.Own(DeviceMemory.View(residualHidden, 0, rows, h, rows, h));
            _locEnc = _owned.Own(m._modules.BindEncodePatches(Patches.Value, Embeddings));
            _baseLm = _owned.Own(m._modules.BaseLm.BindStep(baseCache, embeddings, [(CausalLmGraph.HiddenFsq, lmHidden), (CausalLmGraph.ResidualInputs, residualIn)]));
            _residualLm = _owned.Own(m._modules.ResidualLm.BindStep(residualCache, residualIn, [(CausalLmGraph.Hidden, residualHidden)]));
            _commit = [_owned.Own(BindCommit(m, 0, lmNew, residualNew)), _owned.Own(BindCommit(m, 1, lmNew, residualNew))];
        }

        /// <summary>Each slot row's new patch <c>[rows, P, D]</c> (zeros where no request steps).</summary>
        public PinnedTensor<float> Patches { get; }

        /// <summary>Which slot rows step: their new hidden states replace the old at the commit.</summary>
        public PinnedTensor<bool> Stepped { get; }

        /// <summary>LocEnc's output and the base LM's input, <c>[rows, H]</c> in provider memory.</summary>
        public OrtValue Embeddings { get; }

        public void EncodePatches() => _locEnc.Run();

        /// <summary>Both LMs one position further from <see cref="Embeddings"/>, then the commit from buffer <paramref name="current"/> into the other.</summary>
        public void StepLanguageModels(int current)
        {
            _baseLm.Run();
            _residualLm.Run();
            _commit[current].Run();
        }

        public void Dispose() => _owned.Dispose();

        private ReusableBinding BindCommit(OnnxVoxCpmModules m, int current, OrtValue lmNew, OrtValue residualNew) =>
            m._commit.CreateBinding()
                .HostInput(HeadGraphs.CommitMask, Stepped.Value)
                .Input("lm_old", m._lmHidden[current])
                .Input("res_old", m._residualHidden[current])
                .Input("lm_new", lmNew)
                .Input("res_new", residualNew)
                .Output("lm_out", m._lmHidden[1 - current])
                .Output("res_out", m._residualHidden[1 - current]);
    }
}
