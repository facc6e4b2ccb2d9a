using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Sampling;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Every transformer-side module of one VoxCPM checkpoint as ONNX Runtime sessions built from config + weights:
/// token embedding, LocEnc, base LM (with FSQ fused as a second output), residual LM, FSQ, stop head, mu projection and
/// the LocDiT with its CFM solver. Methods take and return host tensors; the LM KV caches stay in ORT-owned buffers.
/// All batch dimensions are dynamic. The embedding table and the four transformer stacks compute at
/// <see cref="OnnxRuntimeOptions.Precision"/>; FSQ, the stop head and mu stay float32 (a few MB; their outputs drive
/// rounding and the stop decision).
/// </summary>
internal sealed class VoxCpmModules : IDisposable
{
    private readonly ModuleSession _embed;
    private readonly ModuleSession _locEnc;
    private readonly ModuleSession _fsq;
    private readonly ModuleSession _stop;
    private readonly ModuleSession _mu;
    private readonly ModuleSession _residualInput;
    private readonly CfmSolver _solver;

    public VoxCpmModules(VoxCpmConfig config, IWeightSource weights, OnnxRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        Config = config;
        var created = new List<IDisposable>();
        T Add<T>(T item)
            where T : IDisposable
        {
            created.Add(item);
            return item;
        }

        try
        {
            var precision = options.Precision;
            _embed = Add(new ModuleSession(HeadGraphs.TextEmbedding(config, weights, precision), options));
            _locEnc = Add(new ModuleSession(LocEncGraph.Build(config, weights, MiniCpmStackSpec.LocalStackQuantization(options), precision), options));
            BaseLm = Add(new CausalLm(config, MiniCpmStackSpec.BaseLm(config, options.WeightQuantization) with { Precision = precision }, weights, options, withFsq: true));
            ResidualLm = Add(new CausalLm(config, MiniCpmStackSpec.ResidualLm(config, options.WeightQuantization) with { Precision = precision }, weights, options, withFsq: false));
            _fsq = Add(new ModuleSession(HeadGraphs.Fsq(config, weights), options));
            _stop = Add(new ModuleSession(HeadGraphs.StopHead(config, weights), options));
            _mu = Add(new ModuleSession(HeadGraphs.Mu(config, weights), options));
            _residualInput = Add(new ModuleSession(HeadGraphs.ResidualInput(config, weights), options));
            Dit = Add(new LocalDit(config, weights, options));
            _solver = new CfmSolver(Dit);
        }
        catch
        {
            foreach (var item in created)
            {
                item.Dispose();
            }

            throw;
        }
    }

    public VoxCpmConfig Config { get; }

    /// <summary>The text-semantic LM; its outputs carry <c>HiddenFsq</c> (FSQ of every position) as well.</summary>
    public CausalLm BaseLm { get; }

    /// <summary>The residual acoustic LM.</summary>
    public CausalLm ResidualLm { get; }

    public LocalDit Dit { get; }

    /// <summary><c>ids [N]</c> → <c>[N, H]</c> (× scale_emb when use_mup).</summary>
    public HostTensor<float> TextEmbeddings(long[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var embeds = HostTensor<float>.Zeros(ids.Length, Config.LmConfig.HiddenSize);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [ids.Length]);
        using var embedsValue = OrtValue.CreateTensorValueFromMemory(embeds.Data, embeds.LongShape);
        TextEmbeddings(idsValue, embedsValue);
        return embeds;
    }

    /// <summary><c>ids [N]</c> (host memory) → <c>embeds [N, H]</c> written where it is.</summary>
    public void TextEmbeddings(OrtValue ids, OrtValue embeds)
    {
        using var binding = _embed.CreateBinding().HostInput("ids", ids).Output("embeds", embeds);
        binding.Run();
    }

    /// <summary><c>patches [N, P, D]</c> → <c>FeatEmbed [N, H]</c> (LM space) and <c>EncoderOut [N, H_enc]</c> (before enc_to_lm_proj).</summary>
    public (HostTensor<float> FeatEmbed, HostTensor<float> EncoderOut) EncodePatches(HostTensor<float> patches)
    {
        var r = _locEnc.Run([(LocEncGraph.Patches, patches)], LocEncGraph.FeatEmbed, LocEncGraph.EncoderOut);
        return (r[0], r[1]);
    }

    /// <summary>
    /// <c>patches [N, P, D]</c> (host memory) → <c>feat_embed [N, H]</c> written into <paramref name="featEmbed"/> where it
    /// is, bound once to run for every decode step of its batch size.
    /// </summary>
    public Onnx.ReusableBinding BindEncodePatches(OrtValue patches, OrtValue featEmbed) =>
        _locEnc.CreateBinding().HostInput(LocEncGraph.Patches, patches).Output(LocEncGraph.FeatEmbed, featEmbed);

    /// <summary>Prefill of <c>embeds [B, T, H]</c> into an LM cache; returns hidden states <c>[B, T, H]</c> (+ FSQ for the base LM).</summary>
    public static LmOutput Prefill(CausalLm lm, LmKvCache cache, HostTensor<float> embeds)
    {
        ArgumentNullException.ThrowIfNull(lm);
        return lm.Forward(cache, embeds);
    }

    /// <summary>One decode step: <c>embeds [B, H]</c> at each row's next position → <c>[B, H]</c> (+ FSQ for the base LM).</summary>
    public static LmOutput DecodeStep(CausalLm lm, LmKvCache cache, HostTensor<float> embeds)
    {
        ArgumentNullException.ThrowIfNull(lm);
        ArgumentNullException.ThrowIfNull(embeds);
        var output = lm.Forward(cache, embeds.Reshape(embeds.Shape[0], 1, embeds.Shape[1]));
        return new LmOutput(output.Hidden.Reshape(embeds.Shape), output.HiddenFsq?.Reshape(embeds.Shape));
    }

    /// <summary>
    /// The residual LM's prefill input <c>[T, H]</c> from the base LM's prefill output (model doc §4.2, §9.2): the base
    /// output is FSQ'd at audio positions, and the audio embedding joins it there (summed, or fused by
    /// fusion_concat_proj for VoxCPM2; text positions get a zero audio half).
    /// </summary>
    public HostTensor<float> ResidualPrefillInput(LmOutput baseOut, float[]? featEmbed, ReadOnlySpan<byte> audioMask)
    {
        ArgumentNullException.ThrowIfNull(baseOut);
        int length = audioMask.Length;
        int h = Config.LmConfig.HiddenSize;
        var mixed = (float[])baseOut.Hidden.Data.Clone();
        var audio = new float[length * h];
        for (int t = 0; t < length; t++)
        {
            if (audioMask[t] != 0)
            {
                baseOut.HiddenFsq!.Data.AsSpan(t * h, h).CopyTo(mixed.AsSpan(t * h));
                featEmbed.AsSpan(t * h, h).CopyTo(audio.AsSpan(t * h));
            }
        }

        var result = HostTensor<float>.Zeros(length, h);
        using var mixedValue = OrtValue.CreateTensorValueFromMemory(mixed, [length, h]);
        using var audioValue = OrtValue.CreateTensorValueFromMemory(audio, [length, h]);
        using var resultValue = OrtValue.CreateTensorValueFromMemory(result.Data, [length, h]);
        ResidualPrefillInput(mixedValue, audioValue, resultValue);
        return result;
    }

    /// <summary>
    /// As above from its two halves, each <c>[N, H]</c> in host memory: <paramref name="mixed"/> (the base output, FSQ'd
    /// at audio positions) and <paramref name="audio"/> (the audio embedding there, zeros elsewhere); the result is
    /// written into <paramref name="output"/> where it is.
    /// </summary>
    public void ResidualPrefillInput(OrtValue mixed, OrtValue audio, OrtValue output)
    {
        using var binding = _residualInput.CreateBinding().HostInput("hidden", mixed).HostInput("audio", audio).Output("residual_inputs", output);
        binding.Run();
    }

    /// <summary><c>hidden [N, H]</c> → FSQ <c>Output [N, H]</c> and the quantized <c>Latent [N, latent_dim]</c>.</summary>
    public (HostTensor<float> Output, HostTensor<float> Latent) Fsq(HostTensor<float> hidden)
    {
        var r = _fsq.Run([("hidden", hidden)], "output", "latent");
        return (r[0], r[1]);
    }

    /// <summary><c>lm_hidden [N, H]</c> → stop logits <c>[N, 2]</c>.</summary>
    public HostTensor<float> StopLogits(HostTensor<float> lmHidden) => _stop.Run([("lm_hidden", lmHidden)], "logits")[0];

    /// <summary>DiT condition <c>[N, MuWidth]</c> from lm_hidden and residual_hidden (<see cref="HeadGraphs.Mu"/>).</summary>
    public HostTensor<float> Mu(HostTensor<float> lmHidden, HostTensor<float> residualHidden) =>
        _mu.Run([("lm_hidden", lmHidden), ("residual_hidden", residualHidden)], "mu")[0];

    /// <summary>One CFM solve: <c>mu [B, MuWidth]</c>, <c>cond</c> and <c>noise [B, P, D]</c> → patch <c>[B, P, D]</c>.</summary>
    public HostTensor<float> SolveCfm(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, int steps, float cfgValue) =>
        _solver.Solve(mu, cond, noise, steps, cfgValue);

    public void Dispose()
    {
        _embed.Dispose();
        _locEnc.Dispose();
        BaseLm.Dispose();
        ResidualLm.Dispose();
        _fsq.Dispose();
        _stop.Dispose();
        _mu.Dispose();
        _residualInput.Dispose();
        Dit.Dispose();
    }
}
