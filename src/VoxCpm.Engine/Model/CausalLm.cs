using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>Output of one causal LM call: hidden states after the final norm, and their FSQ when the graph has it.</summary>
internal sealed record LmOutput(HostTensor<float> Hidden, HostTensor<float>? HiddenFsq);

/// <summary>
/// Runs a <see cref="CausalLmGraph"/> (base or residual LM) against a <see cref="LmKvCache"/> with IO binding, so the
/// cache never leaves ONNX Runtime's buffers. One call serves prefill (S tokens) and decode (S = 1).
/// </summary>
internal sealed class CausalLm : IDisposable
{
    private readonly ModuleSession _module;
    private readonly OnnxRuntimeOptions _options;

    public CausalLm(VoxCpmConfig config, MiniCpmStackSpec spec, IWeightSource weights, OnnxRuntimeOptions options, bool withFsq)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec with { AttentionKernel = CausalAttention.Resolve(spec, options) };
        MaxLength = config.MaxLength;
        HasFsq = withFsq;
        _options = options;
        _module = new ModuleSession(CausalLmGraph.Build(config, Spec, weights, withFsq), options);
    }

    public MiniCpmStackSpec Spec { get; }

    public int MaxLength { get; }

    public bool HasFsq { get; }

    public LmKvCache CreateCache(int batch) => new(Spec, batch, MaxLength, _module.Session, _options);

    /// <summary>
    /// Appends <c>embeds [B, S, H]</c> to every row of the cache and returns their hidden states <c>[B, S, H]</c>.
    /// Row b's tokens take positions Lengths[b] .. Lengths[b]+S−1. S &gt; 1 on a non-empty cache needs B = 1 (GQA's rule).
    /// </summary>
    public LmOutput Forward(LmKvCache cache, HostTensor<float> embeds)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(embeds);
        var hidden = new float[embeds.Data.Length];
        var hiddenFsq = HasFsq ? new float[embeds.Data.Length] : null;
        long[] shape = embeds.LongShape;
        using var embedsValue = OrtValue.CreateTensorValueFromMemory(embeds.Data, shape);
        using var hiddenValue = OrtValue.CreateTensorValueFromMemory(hidden, shape);
        using var fsqValue = hiddenFsq is null ? null : OrtValue.CreateTensorValueFromMemory(hiddenFsq, shape);
        var outputs = new List<(string, OrtValue)> { (CausalLmGraph.Hidden, hiddenValue) };
        if (fsqValue is not null)
        {
            outputs.Add((CausalLmGraph.HiddenFsq, fsqValue));
        }

        Forward(cache, embedsValue, outputs);
        return new LmOutput(new HostTensor<float>(hidden, embeds.Shape), hiddenFsq is null ? null : new HostTensor<float>(hiddenFsq, embeds.Shape));
    }

    /// <summary>
    /// As above with the embeddings and the requested outputs (<see cref="CausalLmGraph.Hidden"/>,
    /// <see cref="CausalLmGraph.HiddenFsq"/>, <see cref="CausalLmGraph.ResidualInputs"/>) bound where they are: device
    /// memory stays on the device. <paramref name="embeds"/> is <c>[B, S, H]</c>; every output is the same shape.
    /// </summary>
    public void Forward(LmKvCache cache, OrtValue embeds, IReadOnlyList<(string Name, OrtValue Value)> outputs)
    {
        using var step = BindStep(cache, embeds, outputs);
        step.Run();
    }

    /// <summary>The call of <see cref="Forward(LmKvCache, OrtValue, IReadOnlyList{ValueTuple{string, OrtValue}})"/> bound once, to run every decode step of its batch size.</summary>
    public CausalLmStep BindStep(LmKvCache cache, OrtValue embeds, IReadOnlyList<(string Name, OrtValue Value)> outputs)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(embeds);
        ArgumentNullException.ThrowIfNull(outputs);
        return new CausalLmStep(_module, Spec, MaxLength, cache, embeds, outputs);
    }

    public void Dispose() => _module.Dispose();
}
