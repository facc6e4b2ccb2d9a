using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>The key names and shapes the AudioVAE reads (model doc §1.4) and how missing or misshapen weights are reported.</summary>
public class AudioVaeLayoutTests
{
    [Fact]
    public void Full_size_05B_layout_has_the_published_key_indices_and_shapes()
    {
        var keys = AudioVaeLayout.Create(RandomVaeWeights.Full05).ExpectedWeights();

        Assert.Equal([128, 1, 7], keys["encoder.block.0.weight"]);
        Assert.Equal([128, 1, 7], keys["encoder.block.1.block.2.block.1.weight"]); // depthwise, dilation 9
        Assert.Equal([256, 128, 4], keys["encoder.block.1.block.4.weight"]);       // stride 2, kernel 4
        Assert.Equal([64, 2048, 3], keys["encoder.fc_mu.weight"]);
        Assert.Equal([64, 1, 7], keys["decoder.model.0.weight"]);
        Assert.Equal([1536, 64, 1], keys["decoder.model.1.weight"]);
        Assert.Equal([1536, 768, 16], keys["decoder.model.2.block.1.weight"]);     // ConvTranspose: [in, out, 2s]
        Assert.Equal([1, 768, 1], keys["decoder.model.2.block.4.block.2.alpha"]);
        Assert.Equal([1, 96, 1], keys["decoder.model.6.alpha"]);
        Assert.Equal([1, 96, 7], keys["decoder.model.7.weight"]);
        Assert.DoesNotContain("encoder.fc_logvar.weight", keys.Keys);
        Assert.Equal(640, AudioVaeLayout.Create(RandomVaeWeights.Full05).EncoderHopLength);
    }

    [Fact]
    public void Full_size_15_layout_ends_with_snake_7_and_conv_8()
    {
        var layout = AudioVaeLayout.Create(RandomVaeWeights.Full15);
        var keys = layout.ExpectedWeights();

        Assert.Equal([2048, 1024, 14], keys["decoder.model.2.block.1.weight"]);
        Assert.Equal([256, 128, 6], keys["encoder.block.2.block.4.weight"]); // 128 → 256, stride 3, kernel 6
        Assert.Equal([1, 64, 1], keys["decoder.model.7.alpha"]);
        Assert.Equal([1, 64, 7], keys["decoder.model.8.weight"]);
        Assert.Equal(1764, layout.EncoderHopLength);
    }

    [Fact]
    public void Full_size_v2_layout_conditions_each_decoder_block_and_pads_odd_encoder_strides_by_s()
    {
        var config = new AudioVaeConfig
        {
            EncoderDim = 128,
            DecoderDim = 2048,
            DecoderRates = [8, 6, 5, 2, 2, 2],
            SampleRate = 16000,
            OutSampleRate = 48000,
            SrBinBoundaries = [20000, 30000, 40000],
        }.ForArchitecture("voxcpm2");
        var layout = AudioVaeLayout.Create(config);
        var keys = layout.ExpectedWeights();

        Assert.Equal([4, 2048], keys["decoder.sr_cond_model.2.scale_embed.weight"]);
        Assert.Equal([4, 64], keys["decoder.sr_cond_model.7.bias_embed.weight"]);
        Assert.Equal([3], keys[AudioVaeLayout.BoundariesKey]);
        Assert.DoesNotContain("decoder.sr_cond_model.8.scale_embed.weight", keys.Keys);
        Assert.Equal([1, 32, 7], keys["decoder.model.9.weight"]);
        var stride5 = layout.Encoder.OfType<VaeConv>().Single(c => c.Key == "encoder.block.2.block.4");
        Assert.Equal(5, stride5.LeftPad); // v1: 6
        Assert.Equal((640, 1920), (layout.EncoderHopLength, layout.DecoderHopLength));
        Assert.Equal(3, AudioVaeLayout.SampleRateBucket([20000, 30000, 40000], 48000));
        Assert.Equal(1, AudioVaeLayout.SampleRateBucket([20000, 30000, 40000], 30000));
        Assert.Equal(
            VoxCpmWeightLayout.AudioVae(config).Where(t => !t.TrainingOnly).Select(t => t.Name).Order(StringComparer.Ordinal),
            keys.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("tinyv2")]
    [InlineData("tinyv2-add")]
    [InlineData("tinyv2-concat")]
    public void Checkpoint_layout_and_graph_layout_name_the_same_v2_weights(string name)
    {
        var config = RandomVaeWeights.ByName(name);

        var graphKeys = AudioVaeLayout.Create(config).ExpectedWeights();
        var checkpoint = VoxCpmWeightLayout.AudioVae(config).Where(t => !t.TrainingOnly).ToDictionary(t => t.Name, t => t.Shape);

        Assert.Equal(graphKeys.Keys.Order(StringComparer.Ordinal), checkpoint.Keys.Order(StringComparer.Ordinal));
        Assert.All(graphKeys, kv => Assert.Equal(kv.Value, checkpoint[kv.Key]));
    }

    [Theory]
    [InlineData("film", false)]
    [InlineData("concat", false)]
    public void Unknown_condition_types_are_refused_by_name(string condType, bool outLayer)
    {
        var config = RandomVaeWeights.TinyV2 with { CondType = condType, CondOutLayer = outLayer };

        var error = Assert.Throws<InvalidDataException>(() => VoxCpmWeightLayout.AudioVae(config));
        Assert.Contains("cond_type", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => AudioVaeLayout.Create(config));
    }

    [Fact]
    public void Noise_block_configs_are_refused()
    {
        var error = Assert.Throws<NotSupportedException>(() => AudioVaeLayout.Create(RandomVaeWeights.Tiny05 with { UseNoiseBlock = true }));
        Assert.Contains("use_noise_block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_weight_is_named()
    {
        var layout = AudioVaeLayout.Create(RandomVaeWeights.Tiny05);
        var weights = RandomVaeWeights.Create(layout, seed: 1);
        weights.Remove("decoder.model.3.block.3.block.1.weight");

        var error = Assert.Throws<CheckpointFormatException>(() => AudioVaeWeights.Load(layout, key => weights.GetValueOrDefault(key)));
        Assert.Contains("decoder.model.3.block.3.block.1.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misshapen_weight_is_named_with_both_shapes()
    {
        var config = RandomVaeWeights.Tiny05 with { DecoderDim = 64 };
        var layout = AudioVaeLayout.Create(config);
        var wrong = RandomVaeWeights.Create(AudioVaeLayout.Create(RandomVaeWeights.Tiny05), seed: 1);

        var error = Assert.Throws<CheckpointFormatException>(() => AudioVaeWeights.Load(layout, key => wrong.GetValueOrDefault(key)));
        Assert.Contains("decoder.model.1.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[32, 64, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 64, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoder_dim_must_halve_once_per_rate()
    {
        Assert.Throws<InvalidDataException>(() => AudioVaeLayout.Create(new AudioVaeConfig { DecoderDim = 40, DecoderRates = [8, 8, 5, 2] }));
    }

}
