using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>
/// One <see cref="CausalLm"/> call bound once: a cache (or a view of its rows), the embeddings <c>[B, S, H]</c> and
/// the outputs where they live. <see cref="Run"/> appends S positions to every row; the decode loop keeps one per batch
/// size and runs it every step, so a step makes no ORT values or bindings.
/// </summary>
internal sealed class CausalLmStep : IDisposable
{
    private readonly LmKvCache _cache;
    private readonly int _tokens;
    private readonly int _maxLength;
    private readonly PinnedTensor<int> _seqLens;
    private readonly PinnedTensor<int> _total;
    private readonly ReusableBinding _binding;

    internal CausalLmStep(ModuleSession module, MiniCpmStackSpec spec, int maxLength, LmKvCache cache, OrtValue embeds, IReadOnlyList<(string Name, OrtValue Value)> outputs)
    {
        var shape = embeds.GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != cache.Batch || shape[2] != spec.Hidden)
        {
            throw new ArgumentException($"Expected embeds [{cache.Batch}, S, {spec.Hidden}] but got [{string.Join(", ", shape)}].", nameof(embeds));
        }

        _cache = cache;
        _tokens = (int)shape[1];
        _maxLength = maxLength;
        _seqLens = new PinnedTensor<int>(cache.Batch);
        _total = new PinnedTensor<int>(1);
        _binding = module.CreateBinding()
            .Input(CausalLmGraph.InputsEmbeds, embeds)
            .HostInput(CausalLmGraph.SeqLensK, _seqLens.Value)
            .HostInput(CausalLmGraph.TotalSequenceLength, _total.Value);
        for (int i = 0; i < spec.Layers; i++)
        {
            _binding
                .Input(CausalLmGraph.PastKey(i), cache.Keys(i))
                .Input(CausalLmGraph.PastValue(i), cache.Values(i))
                .Output(CausalLmGraph.PresentKey(i), cache.Keys(i))
                .Output(CausalLmGraph.PresentValue(i), cache.Values(i));
        }

        foreach (var (name, value) in outputs)
        {
            _binding.Output(name, value);
        }
    }

    /// <summary>
    /// Row b's tokens take positions Lengths[b] .. Lengths[b]+S−1. S &gt; 1 on a non-empty cache needs B = 1 (GQA's rule).
    /// </summary>
    public void Run()
    {
        var lengths = _cache.Lengths;
        var seqLens = _seqLens.Span;
        int total = 0;
        for (int b = 0; b < lengths.Length; b++)
        {
            int rowTotal = lengths[b] + _tokens;
            if (rowTotal > _maxLength)
            {
                throw new InvalidOperationException($"Row {b} would hold {rowTotal} positions; the KV cache has max_length = {_maxLength}.");
            }

            if (_tokens > 1 && lengths[b] > 0 && lengths.Length > 1)
            {
                throw new NotSupportedException("Appending several tokens to a non-empty cache is supported for batch 1 only.");
            }

            seqLens[b] = rowTotal - 1;
            total = Math.Max(total, rowTotal);
        }

        _total.Span[0] = total;
        _binding.Run();
        for (int b = 0; b < lengths.Length; b++)
        {
            lengths[b] += _tokens;
        }
    }

    public void Dispose()
    {
        _binding.Dispose();
        _seqLens.Dispose();
        _total.Dispose();
    }
}
