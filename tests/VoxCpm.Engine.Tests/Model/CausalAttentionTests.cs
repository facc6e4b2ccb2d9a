using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>
/// The causal attention built from standard operators (<see cref="CausalAttention.EmitPlain"/>) against
/// GroupQueryAttention, and on head sizes GroupQueryAttention refuses, for checkpoints of the official layouts whose
/// shapes no published model has.
/// </summary>
public class CausalAttentionTests(ITestOutputHelper output)
{
    private const float Tolerance = 2e-5f;
    private static readonly OnnxRuntimeOptions s_cpu = new() { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 };

    [Theory]
    [InlineData(16, false)]
    [InlineData(32, true)]
    public void Plain_operators_match_group_query_attention(int headDim, bool noRope)
    {
        var config = TinyConfig(headDim, noRope);
        var (weights, _) = RandomWeights.Create(config, seed: 7);
        var spec = noRope ? MiniCpmStackSpec.ResidualLm(config) : MiniCpmStackSpec.BaseLm(config);
        Assert.Equal(CausalAttentionKernel.GroupQuery, CausalAttention.Resolve(spec, s_cpu));
        using var gqa = new CausalLm(config, spec with { AttentionKernel = CausalAttentionKernel.GroupQuery }, weights, s_cpu, withFsq: false);
        using var plain = new CausalLm(config, spec with { AttentionKernel = CausalAttentionKernel.Plain }, weights, s_cpu, withFsq: false);
        Assert.Equal(CausalAttentionKernel.Plain, plain.Spec.AttentionKernel);

        var (gqaOut, gqaKeys) = PrefillThenBatchedSteps(gqa, config);
        var (plainOut, plainKeys) = PrefillThenBatchedSteps(plain, config);
        ParityAssert.AssertClose(output, $"hidden states, head dim {headDim}", gqaOut, plainOut, Tolerance);
        ParityAssert.AssertClose(output, "layer-0 keys in the cache", gqaKeys, plainKeys, Tolerance);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(20)]
    public void A_head_size_group_query_attention_refuses_runs_on_plain_operators(int headDim)
    {
        var config = TinyConfig(headDim, noRope: false);
        var (weights, _) = RandomWeights.Create(config, seed: 8);
        var spec = MiniCpmStackSpec.BaseLm(config);
        Assert.Equal(CausalAttentionKernel.Plain, CausalAttention.Resolve(spec, s_cpu));
        using var lm = new CausalLm(config, spec, weights, s_cpu, withFsq: false);

        // Decoding token by token gives what one prefill gives: the cache writes and the causal mask agree.
        var embeds = RandomEmbeds(config, 6, seed: 3);
        using var prefillCache = lm.CreateCache(1);
        var prefill = lm.Forward(prefillCache, embeds).Hidden;
        using var stepCache = lm.CreateCache(1);
        int h = config.LmConfig.HiddenSize;
        var stepped = new float[embeds.Data.Length];
        for (int t = 0; t < 6; t++)
        {
            var token = new HostTensor<float>(embeds.Data.AsSpan(t * h, h).ToArray(), 1, 1, h);
            lm.Forward(stepCache, token).Hidden.Data.CopyTo(stepped.AsSpan(t * h));
        }

        ParityAssert.AssertClose(output, $"head dim {headDim}: steps vs prefill", prefill, new HostTensor<float>(stepped, prefill.Shape), Tolerance);
    }

    /// <summary>A 5-token prefill into row 0 and a 3-token one into row 1, then three decode steps of both rows together.</summary>
    private static (HostTensor<float> Hidden, HostTensor<float> Keys) PrefillThenBatchedSteps(CausalLm lm, VoxCpmConfig config)
    {
        int h = config.LmConfig.HiddenSize;
        using var cache = lm.CreateCache(2);
        var outputs = new List<float>();
        for (int row = 0; row < 2; row++)
        {
            using var rowCache = cache.Slice(row, 1);
            outputs.AddRange(lm.Forward(rowCache, RandomEmbeds(config, 5 - (2 * row), seed: 10 + row)).Hidden.Data);
        }

        for (int step = 0; step < 3; step++)
        {
            var pair = RandomEmbeds(config, 2, seed: 20 + step).Reshape(2, 1, h);
            outputs.AddRange(lm.Forward(cache, pair).Hidden.Data);
        }

        // Row 1 holds 3 + 3 positions: the slots after them were never written and hold whatever the allocator left.
        return (new HostTensor<float>([.. outputs], outputs.Count), cache.Read(0, keys: true, 6));
    }

    private static HostTensor<float> RandomEmbeds(VoxCpmConfig config, int tokens, int seed)
    {
        var random = new Random(seed);
        int h = config.LmConfig.HiddenSize;
        var data = new float[tokens * h];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return new HostTensor<float>(data, 1, tokens, h);
    }

    /// <summary>A VoxCPM2-layout config whose every stack has the given head size (kv_channels), without rope scaling.</summary>
    internal static VoxCpmConfig TinyConfig(int headDim, bool noRope) => VoxCpmConfig.Parse(TinyConfigJson(headDim, noRope));

    /// <summary>The JSON of <see cref="TinyConfig"/> (vocabulary large enough for the v2 fixture's tokenizer).</summary>
    internal static string TinyConfigJson(int headDim, bool noRope) => $$"""
        {
          "architecture": "voxcpm2",
          "lm_config": { "hidden_size": 48, "intermediate_size": 96, "num_attention_heads": 4, "num_hidden_layers": 2,
                         "num_key_value_heads": 2, "kv_channels": {{headDim}}, "vocab_size": 600, "rms_norm_eps": 1e-5 },
          "patch_size": 2, "feat_dim": 8, "scalar_quantization_latent_dim": 16, "scalar_quantization_scale": 9,
          "residual_lm_num_layers": 1, "residual_lm_no_rope": {{(noRope ? "true" : "false")}},
          "encoder_config": { "hidden_dim": 24, "ffn_dim": 48, "num_heads": 4, "num_layers": 1, "kv_channels": {{headDim}} },
          "dit_config": { "hidden_dim": 24, "ffn_dim": 48, "num_heads": 4, "num_layers": 1, "kv_channels": {{headDim}} },
          "audio_vae_config": { "encoder_dim": 4, "encoder_rates": [2, 4], "latent_dim": 8, "decoder_dim": 16, "decoder_rates": [4, 2] },
          "max_length": 96
        }
        """;
}
