namespace VoxCpm.Engine.AudioVae;

/// <summary>One step of the AudioVAE's sequential conv stack (encoder or decoder), named by its checkpoint key prefix.</summary>
internal abstract record VaeLayer;

/// <summary>
/// Causal Conv1d: the official module is built with <c>padding = p</c> but pads <c>2p</c> on the left and nothing on the
/// right, so outputs never see future samples. Weight <c>[Out, In/Groups, Kernel]</c>, bias <c>[Out]</c>.
/// </summary>
internal sealed record VaeConv(string Key, int In, int Out, int Kernel, int LeftPad, int Stride = 1, int Dilation = 1, int Groups = 1) : VaeLayer
{
    public int[] WeightShape => [Out, In / Groups, Kernel];

    /// <summary>Input samples a stride-1 conv needs from before the current chunk to continue a stream exactly.</summary>
    public int History => (Kernel - 1) * Dilation;
}

/// <summary>Snake activation <c>x + sin²(αx)/(α+1e-9)</c>, α per channel (key <c>Key.alpha</c>, shape <c>[1, C, 1]</c>).</summary>
internal sealed record VaeSnake(string Key, int Channels) : VaeLayer
{
    public string AlphaKey => Key + ".alpha";
}

/// <summary>
/// Causal ConvTranspose1d with kernel 2s and stride s, no padding, then the last s samples dropped, so F frames become
/// exactly F·s samples. Weight <c>[In, Out, 2s]</c> (input channel first), bias <c>[Out]</c>.
/// </summary>
internal sealed record VaeTransposedConv(string Key, int In, int Out, int Stride) : VaeLayer
{
    public int Kernel => 2 * Stride;

    public int[] WeightShape => [In, Out, Kernel];
}

/// <summary><c>x + Body(x)</c>.</summary>
internal sealed record VaeResidual(IReadOnlyList<VaeLayer> Body) : VaeLayer;

internal sealed record VaeTanh : VaeLayer;

/// <summary>
/// AudioVAE V2's sample-rate condition ahead of each decoder block (<c>decoder.sr_cond_model.j</c>): row b of the
/// embeddings, b chosen by the decode rate. <c>scale_bias</c>: <c>x·scale[b] + bias[b]</c> per channel; <c>add</c>:
/// <c>x + embed[b]</c>; <c>concat</c>: <c>embed[b]</c> appended as <see cref="ConcatDim"/> constant channels. Embedding
/// weights <c>[Buckets, Channels]</c> (<c>[Buckets, ConcatDim]</c> for concat).
/// </summary>
internal sealed record VaeSampleRateCondition(string Key, int Channels, int Buckets, VaeConditionKind Kind, int ConcatDim = 0) : VaeLayer
{
    public string ScaleKey => Key + ".scale_embed.weight";

    public string BiasKey => Key + ".bias_embed.weight";

    public string EmbedKey => Key + ".cond_embed.weight";

    /// <summary>Channels after the condition (the out layer maps a concat back to <see cref="Channels"/>).</summary>
    public int OutputChannels => Kind == VaeConditionKind.Concat ? Channels + ConcatDim : Channels;
}

internal enum VaeConditionKind
{
    ScaleBias,
    Add,
    Concat,
}
