using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// The AudioVAE's layer stacks as the checkpoint names them (model doc §1.4, §3.9), derived from
/// <see cref="AudioVaeConfig"/>. Graph builders and the weight check both walk these lists, so key names live here only.
/// </summary>
internal sealed class AudioVaeLayout
{
    private static readonly int[] s_residualDilations = [1, 3, 9];

    private AudioVaeLayout(AudioVaeConfig config, IReadOnlyList<VaeLayer> encoder, IReadOnlyList<VaeLayer> decoder)
    {
        Config = config;
        Encoder = encoder;
        Decoder = decoder;
        HopLength = config.EncoderRates.Aggregate(1, (a, b) => a * b);
    }

    public AudioVaeConfig Config { get; }

    /// <summary>wav <c>[B, 1, S]</c> → mu <c>[B, latent, S/hop]</c> (the mean; <c>fc_logvar</c> is not used at inference).</summary>
    public IReadOnlyList<VaeLayer> Encoder { get; }

    /// <summary>z <c>[B, latent, F]</c> → wav <c>[B, 1, F·hop]</c>.</summary>
    public IReadOnlyList<VaeLayer> Decoder { get; }

    /// <summary>Audio samples per latent frame (product of the encoder rates).</summary>
    public int HopLength { get; }

    public int LatentDim => Config.LatentDim;

    public static AudioVaeLayout Create(AudioVaeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.UseNoiseBlock)
        {
            // The noise block draws torch.randn per sample at decode time; no published VoxCPM v1 checkpoint enables it.
            throw new NotSupportedException("audio_vae_config.use_noise_block = true is not supported (it must be false, as in the published VoxCPM 0.5B / 1.5 checkpoints).");
        }

        int decoderProduct = config.DecoderRates.Aggregate(1, (a, b) => a * b);
        int hop = config.EncoderRates.Aggregate(1, (a, b) => a * b);
        if (decoderProduct != hop)
        {
            throw new InvalidDataException($"audio_vae_config: decoder_rates multiply to {decoderProduct} but encoder_rates to {hop}; they must be equal.");
        }

        if (config.DecoderDim % (1 << config.DecoderRates.Length) != 0)
        {
            throw new InvalidDataException($"audio_vae_config.decoder_dim = {config.DecoderDim} must be divisible by 2^{config.DecoderRates.Length} (one halving per decoder rate).");
        }

        return new AudioVaeLayout(config, BuildEncoder(config), BuildDecoder(config));
    }

    /// <summary>Every weight the layout reads, with its shape (weight-norm already folded into <c>X.weight</c>).</summary>
    public IReadOnlyDictionary<string, int[]> ExpectedWeights()
    {
        var keys = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var layer in Encoder.Concat(Decoder))
        {
            AddWeights(layer, keys);
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
            // Built with padding ceil(s/2) and kernel 2s: left pad 2·ceil(s/2) gives exactly T/s outputs for T divisible by s.
            layers.Add(new VaeConv($"{block}.4", d, 2 * d, Kernel: 2 * s, LeftPad: 2 * ((s + 1) / 2), Stride: s));
            d *= 2;
        }

        layers.Add(new VaeConv("encoder.fc_mu", d, config.LatentDim, Kernel: 3, LeftPad: 2));
        return layers;
    }

    private static List<VaeLayer> BuildDecoder(AudioVaeConfig config)
    {
        int latent = config.LatentDim;
        int channels = config.DecoderDim;
        var layers = new List<VaeLayer>();
        int j = 0;
        if (config.Depthwise)
        {
            layers.Add(new VaeConv($"decoder.model.{j++}", latent, latent, Kernel: 7, LeftPad: 6, Groups: latent));
            layers.Add(new VaeConv($"decoder.model.{j++}", latent, channels, Kernel: 1, LeftPad: 0));
        }
        else
        {
            layers.Add(new VaeConv($"decoder.model.{j++}", latent, channels, Kernel: 7, LeftPad: 6));
        }

        int output = channels;
        for (int i = 0; i < config.DecoderRates.Length; i++)
        {
            int s = config.DecoderRates[i];
            int input = channels >> i;
            output = channels >> (i + 1);
            string block = $"decoder.model.{j++}.block";
            layers.Add(new VaeSnake($"{block}.0", input));
            layers.Add(new VaeTransposedConv($"{block}.1", input, output, s));
            int groups = config.Depthwise ? output : 1;
            for (int r = 0; r < s_residualDilations.Length; r++)
            {
                layers.Add(ResidualUnit($"{block}.{r + 2}.block", output, s_residualDilations[r], groups));
            }
        }

        layers.Add(new VaeSnake($"decoder.model.{j++}", output));
        layers.Add(new VaeConv($"decoder.model.{j}", output, 1, Kernel: 7, LeftPad: 6));
        layers.Add(new VaeTanh());
        return layers;
    }

    /// <summary>Snake → k7 conv (dilation d, left pad 6d) → Snake → 1×1 conv, added to the input.</summary>
    private static VaeResidual ResidualUnit(string prefix, int channels, int dilation, int groups) => new(
    [
        new VaeSnake($"{prefix}.0", channels),
        new VaeConv($"{prefix}.1", channels, channels, Kernel: 7, LeftPad: 6 * dilation, Dilation: dilation, Groups: groups),
        new VaeSnake($"{prefix}.2", channels),
        new VaeConv($"{prefix}.3", channels, channels, Kernel: 1, LeftPad: 0),
    ]);
}
