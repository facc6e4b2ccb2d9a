using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Single-module calls with host inputs and outputs, for parity checks, tests and the profiler. The generation loop
/// uses <see cref="GeneratePatches"/> and <see cref="StepLanguageModels"/>, which keep the intermediates on the device.
/// </summary>
internal sealed partial class OnnxVoxCpmModules
{
    /// <summary>mu for each state's row, on the host (tools and tests; the loop keeps mu on the device).</summary>
    public void ComputeMu(IReadOnlyList<ILmState> states, Span<float> mu) => ReadHeads(states).Mu.CopyTo(mu);

    /// <summary>Stop logits [B, 2] for each state's row.</summary>
    public void ComputeStopLogits(IReadOnlyList<ILmState> states, Span<float> logits) => ReadHeads(states).Logits.CopyTo(logits);

    /// <summary>The CFM solve from host tensors (tools and tests): <paramref name="noise"/> and the result are [B, feat_dim, P].</summary>
    public void SolveCfm(ReadOnlySpan<float> mu, ReadOnlySpan<float> cond, ReadOnlySpan<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps, Span<float> patches)
    {
        int b = cfg.Length;
        var result = _modules.Dit.Solve(
            new HostTensor<float>(mu.ToArray(), b, Config.MuWidth),
            ToPatchMajor(cond, b, ref _condPatchMajor),
            ToPatchMajor(noise, b, ref _noisePatchMajor),
            cfg,
            steps);
        ToChannelMajor(result.Data, patches);
    }

    /// <summary>feat_embed for <paramref name="count"/> patches given as [B, P, feat_dim]; result [B, hidden] on the host (tools and tests).</summary>
    public void EncodePatches(ReadOnlySpan<float> patches, int count, Span<float> embeddings) =>
        _modules.EncodePatches(new HostTensor<float>(patches[..(count * PatchValues)].ToArray(), count, Config.PatchSize, Config.FeatDim)).FeatEmbed.Data.CopyTo(embeddings);

    /// <summary>One decode step of both LMs from given embeddings [B, hidden] (tools and tests; the loop passes patches).</summary>
    public void StepLanguageModelsFromEmbeddings(IReadOnlyList<ILmState> states, ReadOnlySpan<float> embeddings)
    {
        int h = Hidden;
        int rows = _slots.RowsInUse;
        var e = new float[rows * h];
        foreach (var (state, i) in states.Select((s, i) => (Cast(s), i)))
        {
            embeddings.Slice(i * h, h).CopyTo(e.AsSpan(state.Slot * h, h));
        }

        var run = _rowsRuns.For(rows);
        using (var value = OrtValue.CreateTensorValueFromMemory(e, [rows, h]))
        {
            _device.Copy((value, run.Embeddings));
        }

        StepFromEmbeddings(states, run);
    }

    /// <summary>Each state's lm_hidden and residual_hidden, read back to the host (tests).</summary>
    public (float[] LmHidden, float[] ResidualHidden) ReadHidden(ILmState state)
    {
        int slot = Cast(state).Slot;
        using var lm = DeviceMemory.View(_lmHidden[_current], slot, 1, Hidden, 1, Hidden);
        using var residual = DeviceMemory.View(_residualHidden[_current], slot, 1, Hidden, 1, Hidden);
        return (ReadHost(lm, 1, Hidden).Data, ReadHost(residual, 1, Hidden).Data);
    }

    private (float[] Mu, float[] Logits) ReadHeads(IReadOnlyList<ILmState> states)
    {
        var run = RunHeads(states);
        return (ReadHost(run.Mu, states.Count, Config.MuWidth).Data, run.Logits.Span.ToArray());
    }
}
