using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>
/// Test oracle: the official AudioVAE (audio_vae.py, and audio_vae_v2.py when the config is V2) transcribed as naive
/// loops in double precision, one batch row at a time, with its own key names. Deliberately shares no code with the
/// product's layout or graphs.
/// </summary>
internal sealed class ReferenceAudioVae(AudioVaeConfig config, Func<string, HostTensor<float>> weights)
{
    private static readonly int[] s_dilations = [1, 3, 9];

    /// <summary>wav [S] (S a multiple of the hop) → mu [latent][S/hop].</summary>
    public double[][] Encode(float[] wav)
    {
        double[][] x = [Array.ConvertAll(wav, v => (double)v)];
        int d = config.EncoderDim;
        x = CausalConv(x, "encoder.block.0", d, kernel: 7, padding: 3);
        for (int i = 0; i < config.EncoderRates.Length; i++)
        {
            int s = config.EncoderRates[i];
            string p = $"encoder.block.{i + 1}.block";
            int groups = config.Depthwise ? d : 1;
            for (int r = 0; r < 3; r++)
            {
                x = ResidualUnit(x, $"{p}.{r}.block", s_dilations[r], groups);
            }

            x = Snake(x, $"{p}.3");
            // V2's CausalConv1d subtracts output_padding = s % 2 from the left pad; v1's ignores it.
            int outputPadding = config.Version == AudioVaeVersion.V2 ? s % 2 : 0;
            x = CausalConv(x, $"{p}.4", 2 * d, kernel: 2 * s, padding: (s + 1) / 2, stride: s, outputPadding: outputPadding);
            d *= 2;
        }

        return CausalConv(x, "encoder.fc_mu", config.LatentDim, kernel: 3, padding: 1);
    }

    /// <summary>z [latent][F] → wav [F·hop].</summary>
    public double[] Decode(double[][] z)
    {
        int c = config.DecoderDim;
        int j = 0;
        double[][] x;
        if (config.Depthwise)
        {
            x = CausalConv(z, $"decoder.model.{j++}", z.Length, kernel: 7, padding: 3, groups: z.Length);
            x = CausalConv(x, $"decoder.model.{j++}", c, kernel: 1, padding: 0);
        }
        else
        {
            x = CausalConv(z, $"decoder.model.{j++}", c, kernel: 7, padding: 3);
        }

        for (int i = 0; i < config.DecoderRates.Length; i++)
        {
            int s = config.DecoderRates[i];
            int output = c >> (i + 1);
            if (config.SrBinBoundaries is { } boundaries)
            {
                x = SampleRateCondition(x, $"decoder.sr_cond_model.{j}", boundaries.Count(b => b < config.DecodeSampleRate));
            }

            string p = $"decoder.model.{j++}.block";
            x = Snake(x, $"{p}.0");
            x = CausalTransposedConv(x, $"{p}.1", output, s);
            for (int r = 0; r < 3; r++)
            {
                x = ResidualUnit(x, $"{p}.{r + 2}.block", s_dilations[r], config.Depthwise ? output : 1);
            }
        }

        x = Snake(x, $"decoder.model.{j++}");
        x = CausalConv(x, $"decoder.model.{j}", 1, kernel: 7, padding: 3);
        return Array.ConvertAll(x[0], Math.Tanh);
    }

    /// <summary>SampleRateConditionLayer.forward with sr_cond already bucketized.</summary>
    private double[][] SampleRateCondition(double[][] x, string key, int bucket)
    {
        double[][] y;
        if (config.CondType is "scale_bias" or "scale_bias_init")
        {
            var scale = weights(key + ".scale_embed.weight").Data;
            var bias = weights(key + ".bias_embed.weight").Data;
            y = x.Select((row, ch) => Array.ConvertAll(row, v => (v * scale[(bucket * x.Length) + ch]) + bias[(bucket * x.Length) + ch])).ToArray();
        }
        else
        {
            var embed = weights(key + ".cond_embed.weight");
            int width = embed.Shape[1];
            y = config.CondType == "add"
                ? x.Select((row, ch) => Array.ConvertAll(row, v => v + embed.Data[(bucket * width) + ch])).ToArray()
                : [.. x, .. Enumerable.Range(0, width).Select(e => Enumerable.Repeat((double)embed.Data[(bucket * width) + e], x[0].Length).ToArray())];
        }

        if (config.CondOutLayer)
        {
            y = Snake(y, key + ".out_layer.0");
            y = CausalConv(y, key + ".out_layer.1", x.Length, kernel: 1, padding: 0);
        }

        return y;
    }

    private double[][] ResidualUnit(double[][] x, string p, int dilation, int groups)
    {
        var y = Snake(x, $"{p}.0");
        y = CausalConv(y, $"{p}.1", x.Length, kernel: 7, padding: 3 * dilation, dilation: dilation, groups: groups);
        y = Snake(y, $"{p}.2");
        y = CausalConv(y, $"{p}.3", x.Length, kernel: 1, padding: 0);
        for (int ch = 0; ch < x.Length; ch++)
        {
            for (int t = 0; t < y[ch].Length; t++)
            {
                y[ch][t] += x[ch][t];
            }
        }

        return y;
    }

    private double[][] Snake(double[][] x, string key)
    {
        var alpha = weights(key + ".alpha").Data;
        var y = new double[x.Length][];
        for (int ch = 0; ch < x.Length; ch++)
        {
            double a = alpha[ch];
            float inverse = 1f / (alpha[ch] + 1e-9f);
            y[ch] = Array.ConvertAll(x[ch], v => v + (inverse * Math.Pow(Math.Sin(a * v), 2)));
        }

        return y;
    }

    /// <summary>nn.Conv1d on the input zero-padded by 2·padding − output_padding on the left only.</summary>
    private double[][] CausalConv(double[][] x, string key, int outChannels, int kernel, int padding, int stride = 1, int dilation = 1, int groups = 1, int outputPadding = 0)
    {
        var w = weights(key + ".weight").Data;
        var bias = weights(key + ".bias").Data;
        int inChannels = x.Length;
        int inPerGroup = inChannels / groups;
        int outPerGroup = outChannels / groups;
        int left = (2 * padding) - outputPadding;
        int length = x[0].Length;
        int outLength = ((length + left - (dilation * (kernel - 1)) - 1) / stride) + 1;
        var y = new double[outChannels][];
        for (int o = 0; o < outChannels; o++)
        {
            y[o] = new double[outLength];
            int g = o / outPerGroup;
            for (int t = 0; t < outLength; t++)
            {
                double sum = bias[o];
                for (int i = 0; i < inPerGroup; i++)
                {
                    var xi = x[(g * inPerGroup) + i];
                    for (int k = 0; k < kernel; k++)
                    {
                        int src = (t * stride) + (k * dilation) - left;
                        if (src >= 0 && src < length)
                        {
                            sum += w[(((o * inPerGroup) + i) * kernel) + k] * xi[src];
                        }
                    }
                }

                y[o][t] = sum;
            }
        }

        return y;
    }

    /// <summary>nn.ConvTranspose1d (kernel 2s, stride s, weight [in, out, 2s]), then the last s samples cut.</summary>
    private double[][] CausalTransposedConv(double[][] x, string key, int outChannels, int stride)
    {
        var w = weights(key + ".weight").Data;
        var bias = weights(key + ".bias").Data;
        int kernel = 2 * stride;
        int length = x[0].Length;
        int full = ((length - 1) * stride) + kernel;
        var y = new double[outChannels][];
        for (int o = 0; o < outChannels; o++)
        {
            y[o] = new double[full];
            Array.Fill(y[o], bias[o]);
            for (int i = 0; i < x.Length; i++)
            {
                for (int t = 0; t < length; t++)
                {
                    for (int k = 0; k < kernel; k++)
                    {
                        y[o][(t * stride) + k] += w[(((i * outChannels) + o) * kernel) + k] * x[i][t];
                    }
                }
            }

            y[o] = y[o][..(full - stride)];
        }

        return y;
    }
}
