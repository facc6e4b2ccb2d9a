using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Checkpoints;

// The causal DAC-style AudioVAE (official audio_vae.py; audio_vae_v2.py adds the decoder's sample-rate conditions). Names are relative to the VAE module and describe conv
// weights after weight-norm folding ("X.weight"; the file stores "X.weight_g" and "X.weight_v").
internal static partial class VoxCpmWeightLayout
{
    private const int StemKernel = 7;
    private static readonly int[] s_dilations = [1, 3, 9];

    /// <summary>The audio VAE file (<c>audiovae.pth</c> / <c>audiovae.safetensors</c>), folded conv weights.</summary>
    public static IReadOnlyList<ExpectedTensor> AudioVae(AudioVaeConfig vae)
    {
        ArgumentNullException.ThrowIfNull(vae);
        var list = new List<ExpectedTensor>();
        AddEncoder(list, vae);
        AddDecoder(list, vae);
        return list;
    }

    private static void AddEncoder(List<ExpectedTensor> list, AudioVaeConfig vae)
    {
        int channels = vae.EncoderDim;
        AddConv(list, "encoder.block.0", channels, 1, StemKernel);
        for (int i = 0; i < vae.EncoderRates.Length; i++)
        {
            int stride = vae.EncoderRates[i];
            string block = $"encoder.block.{i + 1}.block";
            int groups = vae.Depthwise ? channels : 1;
            for (int r = 0; r < s_dilations.Length; r++)
            {
                AddResidualUnit(list, $"{block}.{r}.block", channels, groups);
            }

            AddSnake(list, $"{block}.3", channels);
            AddConv(list, $"{block}.4", 2 * channels, channels, 2 * stride);
            channels *= 2;
        }

        AddConv(list, "encoder.fc_mu", vae.LatentDim, channels, 3);
        AddConv(list, "encoder.fc_logvar", vae.LatentDim, channels, 3, trainingOnly: true);
    }

    private static void AddDecoder(List<ExpectedTensor> list, AudioVaeConfig vae)
    {
        int n = vae.DecoderRates.Length;
        if (vae.DecoderDim % (1 << n) != 0)
        {
            throw new InvalidDataException($"audio_vae_config.decoder_dim {vae.DecoderDim} must be divisible by 2^{n} (it halves at each of the {n} decoder rates)");
        }

        int j = 0;
        if (vae.Depthwise)
        {
            AddConv(list, $"decoder.model.{j++}", vae.LatentDim, 1, StemKernel);
            AddConv(list, $"decoder.model.{j++}", vae.DecoderDim, vae.LatentDim, 1);
        }
        else
        {
            AddConv(list, $"decoder.model.{j++}", vae.DecoderDim, vae.LatentDim, StemKernel);
        }

        int channels = vae.DecoderDim;
        if (vae.SrBinBoundaries is { } boundaries)
        {
            list.Add(new("decoder.sr_bin_boundaries", [boundaries.Length], WeightKind.IntegerBuffer));
        }

        foreach (int stride in vae.DecoderRates)
        {
            int output = channels / 2;
            if (vae.SrBinBoundaries is not null)
            {
                AddSampleRateCondition(list, vae, $"decoder.sr_cond_model.{j}", channels);
            }

            string block = $"decoder.model.{j++}.block";
            AddSnake(list, $"{block}.0", channels);
            list.Add(new($"{block}.1.weight", [channels, output, 2 * stride], WeightKind.TransposedConvWeight));
            list.Add(new($"{block}.1.bias", [output], WeightKind.ConvBias));
            int next = 2;
            if (vae.UseNoiseBlock)
            {
                list.Add(new($"{block}.{next++}.linear.weight", [output, output, 1], WeightKind.ConvWeight));
            }

            for (int r = 0; r < s_dilations.Length; r++)
            {
                AddResidualUnit(list, $"{block}.{next++}.block", output, vae.Depthwise ? output : 1);
            }

            channels = output;
        }

        AddSnake(list, $"decoder.model.{j++}", channels);
        AddConv(list, $"decoder.model.{j}", 1, channels, StemKernel);
    }

    /// <summary>V2: the embeddings of one sample-rate condition (<c>[buckets, C]</c>), then its optional Snake + 1×1 conv.</summary>
    private static void AddSampleRateCondition(List<ExpectedTensor> list, AudioVaeConfig vae, string prefix, int channels)
    {
        int buckets = vae.SampleRateBuckets;
        var kind = AudioVaeLayout.ConditionKind(vae);
        int width = kind == VaeConditionKind.Concat ? channels + vae.CondDim : channels;
        if (kind == VaeConditionKind.ScaleBias)
        {
            list.Add(new($"{prefix}.scale_embed.weight", [buckets, channels], WeightKind.SampleRateScale));
            list.Add(new($"{prefix}.bias_embed.weight", [buckets, channels], WeightKind.SampleRateBias));
        }
        else
        {
            list.Add(new($"{prefix}.cond_embed.weight", [buckets, kind == VaeConditionKind.Concat ? vae.CondDim : channels], WeightKind.SampleRateBias));
        }

        if (vae.CondOutLayer)
        {
            AddSnake(list, $"{prefix}.out_layer.0", width);
            AddConv(list, $"{prefix}.out_layer.1", channels, width, 1);
        }
    }

    /// <summary>Snake → conv k7 (dilated, grouped) → Snake → conv 1×1.</summary>
    private static void AddResidualUnit(List<ExpectedTensor> list, string prefix, int channels, int groups)
    {
        AddSnake(list, $"{prefix}.0", channels);
        AddConv(list, $"{prefix}.1", channels, channels / groups, StemKernel);
        AddSnake(list, $"{prefix}.2", channels);
        AddConv(list, $"{prefix}.3", channels, channels, 1);
    }

    private static void AddConv(List<ExpectedTensor> list, string prefix, int outChannels, int inPerGroup, int kernel, bool trainingOnly = false)
    {
        list.Add(new(prefix + ".weight", [outChannels, inPerGroup, kernel], WeightKind.ConvWeight, trainingOnly));
        list.Add(new(prefix + ".bias", [outChannels], WeightKind.ConvBias, trainingOnly));
    }

    private static void AddSnake(List<ExpectedTensor> list, string prefix, int channels) =>
        list.Add(new(prefix + ".alpha", [1, channels, 1], WeightKind.SnakeAlpha));
}
