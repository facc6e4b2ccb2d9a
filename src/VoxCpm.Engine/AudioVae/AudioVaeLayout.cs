using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// The AudioVAE's layer stacks as the checkpoint names them (model doc §1.4, §3.9, §9.2), derived from
/// <see cref="AudioVaeConfig"/>. Graph builders and the weight check both walk these lists, so key names live here only.
/// </summary>
internal sealed class AudioVaeLayout
{
    /// <summary>V2's int32 buffer of rate boundaries; the stored values, not config.json's, pick the condition row (as in torch).</summary>
    public const string BoundariesKey = "decoder.sr_bin_boundaries";

    private static readonly int[] s_residualDilations = [1, 3, 9];

    private AudioVaeLayout(AudioVaeConfig config, IReadOnlyList<VaeLayer> encoder, IReadOnlyList<VaeModule> decoder)
    {
        Config = config;
        Encoder = encoder;
        DecoderModules = decoder;
        Decoder = decoder.SelectMany(m => m.Layers).ToList();
    }

    public AudioVaeConfig Config { get; }

    /// <summary>wav <c>[B, 1, S]</c> → mu <c>[B, latent, S/hop]</c> (the mean; <c>fc_logvar</c> is not used at inference).</summary>
    public IReadOnlyList<VaeLayer> Encoder { get; }

    /// <summary>z <c>[B, latent, F]</c> → wav <c>[B, 1, F·decoder hop]</c>.</summary>
    public IReadOnlyList<VaeLayer> Decoder { get; }

    /// <summary><see cref="Decoder"/> grouped by the official module each layer belongs to (for per-module traces).</summary>
    public IReadOnlyList<VaeModule> DecoderModules { get; }

    /// <summary>Input samples per latent frame (product of the encoder rates).</summary>
    public int EncoderHopLength => Config.EncoderHopLength;

    /// <summary>Output samples per latent frame (product of the decoder rates).</summary>
    public int DecoderHopLength => Config.DecoderHopLength;

    public int LatentDim => Config.LatentDim;

    public bool HasSampleRateCondition => Config.SrBinBoundaries is not null;

    public static AudioVaeLayout Create(AudioVaeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.UseNoiseBlock)
        {
            // The noise block draws torch.randn per sample at decode time; no published checkpoint enables it.
            throw new NotSupportedException("audio_vae_config.use_noise_block = true is not supported (it must be false, as in the published VoxCPM 0.5B / 1.5 / 2 checkpoints).");
        }

        if (config.EncoderRates.Length == 0 || config.DecoderRates.Length == 0 || config.EncoderRates.Concat(config.DecoderRates).Any(r => r < 1))
        {
            throw new InvalidDataException($"audio_vae_config: encoder_rates [{string.Join(",", config.EncoderRates)}] and decoder_rates [{string.Join(",", config.DecoderRates)}] must be non-empty lists of positive strides.");
        }

        if (config.DecoderDim % (1 << config.DecoderRates.Length) != 0)
        {
            throw new InvalidDataException($"audio_vae_config.decoder_dim = {config.DecoderDim} must be divisible by 2^{config.DecoderRates.Length} (one halving per decoder rate).");
        }

        return new AudioVaeLayout(config, BuildEncoder(config), BuildDecoder(config));
    }

    /// <summary>
    /// The condition row for <paramref name="rate"/>: how many boundaries lie strictly below it (<c>torch.bucketize</c>,
    /// right=False). <paramref name="boundaries"/> come from the checkpoint's buffer.
    /// </summary>
    public static int SampleRateBucket(ReadOnlySpan<float> boundaries, int rate)
    {
        int bucket = 0;
        foreach (float boundary in boundaries)
        {
            if (boundary < rate)
            {
                bucket++;
            }
        }

        return bucket;
    }

    /// <summary>Every weight the layout reads, with its shape (weight-norm already folded into <c>X.weight</c>).</summary>
    public IReadOnlyDictionary<string, int[]> ExpectedWeights()
    {
        var keys = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var layer in Encoder.Concat(Decoder))
        {
            AddWeights(layer, keys);
        }

        if (Config.SrBinBoundaries is { } boundaries)
        {
            keys.Add(BoundariesKey, [boundaries.Length]);
        }

        return keys;
    }

    private static void AddWeights(VaeLayer layer, Dictionary<string, int[]> keys)
    {
        switch (layer)
        {
            case VaeConv c:
                keys.Add(c.Key + ".weight", c.WeightShape);
                keys.Add(c.Key + ".bias", [c.Out]);
                break;
            case VaeTransposedConv t:
                keys.Add(t.Key + ".weight", t.WeightShape);
                keys.Add(t.Key + ".bias", [t.Out]);
                break;
            case VaeSnake s:
                keys.Add(s.AlphaKey, [1, s.Channels, 1]);
                break;
            case VaeSampleRateCondition { Kind: VaeConditionKind.ScaleBias } c:
                keys.Add(c.ScaleKey, [c.Buckets, c.Channels]);
                keys.Add(c.BiasKey, [c.Buckets, c.Channels]);
                break;
            case VaeSampleRateCondition { Kind: VaeConditionKind.Add } c:
                keys.Add(c.EmbedKey, [c.Buckets, c.Channels]);
                break;
            case VaeSampleRateCondition c:
                keys.Add(c.EmbedKey, [c.Buckets, c.ConcatDim]);
                break;
            case VaeResidual r:
                foreach (var inner in r.Body)
                {
                    AddWeights(inner, keys);
                }

                break;
        }
    }

    private static List<VaeLayer> BuildEncoder(AudioVaeConfig config)
    {
        int d = config.EncoderDim;
        var layers = new List<VaeLayer> { new VaeConv("encoder.block.0", 1, d, Kernel: 7, LeftPad: 6) };
        for (int i = 0; i < config.EncoderRates.Length; i++)
        {
            int s = config.EncoderRates[i];
            string block = $"encoder.block.{i + 1}.block";
            int groups = config.Depthwise ? d : 1;
            for (int r = 0; r < s_residualDilations.Length; r++)
            {
                layers.Add(ResidualUnit($"{block}.{r}.block", d, s_residualDilations[r], groups));
            }

            layers.Add(new VaeSnake($"{block}.3", d));
            // Built with padding ceil(s/2) and kernel 2s. v1 pads 2·ceil(s/2) on the left, V2 subtracts output_padding
            // s mod 2 (so always s): either gives exactly T/s outputs for T divisible by s, V2 one sample later for odd s.
            int leftPad = (2 * ((s + 1) / 2)) - (config.Version == AudioVaeVersion.V2 ? s % 2 : 0);
            layers.Add(new VaeConv($"{block}.4", d, 2 * d, Kernel: 2 * s, LeftPad: leftPad, Stride: s));
            d *= 2;
        }

        layers.Add(new VaeConv("encoder.fc_mu", d, config.LatentDim, Kernel: 3, LeftPad: 2));
        return layers;
    }

    private static List<VaeModule> BuildDecoder(AudioVaeConfig config)
    {
        int latent = config.LatentDim;
        int channels = config.DecoderDim;
        var modules = new List<VaeModule>();
        int j = 0;
        if (config.Depthwise)
        {
            modules.Add(Module($"decoder.model.{j++}", new VaeConv($"decoder.model.{j - 1}", latent, latent, Kernel: 7, LeftPad: 6, Groups: latent)));
            modules.Add(Module($"decoder.model.{j++}", new VaeConv($"decoder.model.{j - 1}", latent, channels, Kernel: 1, LeftPad: 0)));
        }
        else
        {
            modules.Add(Module($"decoder.model.{j++}", new VaeConv($"decoder.model.{j - 1}", latent, channels, Kernel: 7, LeftPad: 6)));
        }

        int output = channels;
        for (int i = 0; i < config.DecoderRates.Length; i++, j++)
        {
            int s = config.DecoderRates[i];
            int input = channels >> i;
            output = channels >> (i + 1);
            if (config.SrBinBoundaries is not null)
            {
                modules.Add(new VaeModule($"decoder.sr_cond_model.{j}", SampleRateCondition(config, $"decoder.sr_cond_model.{j}", input)));
            }

            string block = $"decoder.model.{j}.block";
            var layers = new List<VaeLayer> { new VaeSnake($"{block}.0", input), new VaeTransposedConv($"{block}.1", input, output, s) };
            int groups = config.Depthwise ? output : 1;
            for (int r = 0; r < s_residualDilations.Length; r++)
            {
                layers.Add(ResidualUnit($"{block}.{r + 2}.block", output, s_residualDilations[r], groups));
            }

            modules.Add(new VaeModule($"decoder.model.{j}", layers));
        }

        modules.Add(Module($"decoder.model.{j++}", new VaeSnake($"decoder.model.{j - 1}", output)));
        modules.Add(Module($"decoder.model.{j++}", new VaeConv($"decoder.model.{j - 1}", output, 1, Kernel: 7, LeftPad: 6)));
        modules.Add(Module($"decoder.model.{j}", new VaeTanh()));
        return modules;
    }

    /// <summary>The condition layer, then (<c>cond_out_layer</c>) Snake → 1×1 conv back to the block's width.</summary>
    private static List<VaeLayer> SampleRateCondition(AudioVaeConfig config, string key, int channels)
    {
        var kind = ConditionKind(config);
        var condition = new VaeSampleRateCondition(key, channels, config.SampleRateBuckets, kind, kind == VaeConditionKind.Concat ? config.CondDim : 0);
        var layers = new List<VaeLayer> { condition };
        if (config.CondOutLayer)
        {
            layers.Add(new VaeSnake($"{key}.out_layer.0", condition.OutputChannels));
            layers.Add(new VaeConv($"{key}.out_layer.1", condition.OutputChannels, channels, Kernel: 1, LeftPad: 0));
        }

        return layers;
    }

    /// <summary>What <c>cond_type</c> computes; an unknown type, or concat without its out layer, is refused by name.</summary>
    public static VaeConditionKind ConditionKind(AudioVaeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.CondType switch
        {
            AudioVaeConfig.ScaleBiasCondition or "scale_bias_init" => VaeConditionKind.ScaleBias,
            "add" => VaeConditionKind.Add,
            "concat" when config.CondOutLayer => VaeConditionKind.Concat,
            "concat" => throw new InvalidDataException("audio_vae_config.cond_type = \"concat\" needs cond_out_layer = true (as the official decoder asserts)."),
            _ => throw new InvalidDataException($"audio_vae_config.cond_type = \"{config.CondType}\" is not one of scale_bias, scale_bias_init, add, concat."),
        };
    }

    private static VaeModule Module(string key, VaeLayer layer) => new(key, [layer]);

    /// <summary>Snake → k7 conv (dilation d, left pad 6d) → Snake → 1×1 conv, added to the input.</summary>
    private static VaeResidual ResidualUnit(string prefix, int channels, int dilation, int groups) => new(
    [
        new VaeSnake($"{prefix}.0", channels),
        new VaeConv($"{prefix}.1", channels, channels, Kernel: 7, LeftPad: 6 * dilation, Dilation: dilation, Groups: groups),
        new VaeSnake($"{prefix}.2", channels),
        new VaeConv($"{prefix}.3", channels, channels, Kernel: 1, LeftPad: 0),
    ]);
}

/// <summary>The layers of one official decoder module (<c>decoder.model.j</c> or <c>decoder.sr_cond_model.j</c>).</summary>
internal sealed record VaeModule(string Key, IReadOnlyList<VaeLayer> Layers);
