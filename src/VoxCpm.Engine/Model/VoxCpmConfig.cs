using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoxCpm.Engine.Model;

/// <summary>The checkpoint's <c>config.json</c> (VoxCPM's own schema, not a transformers config).</summary>
public sealed record VoxCpmConfig
{
    public string Architecture { get; init; } = "voxcpm";
    public required LmConfig LmConfig { get; init; }
    public int PatchSize { get; init; } = 2;
    public int FeatDim { get; init; } = 64;
    public int ResidualLmNumLayers { get; init; } = 6;
    public int ScalarQuantizationLatentDim { get; init; } = 256;
    public int ScalarQuantizationScale { get; init; } = 9;
    public required LocalStackConfig EncoderConfig { get; init; }
    public required DitConfig DitConfig { get; init; }
    public AudioVaeConfig AudioVaeConfig { get; init; } = new();
    public int MaxLength { get; init; } = 4096;
    public string Dtype { get; init; } = "bfloat16";
    public bool DitMeanMode { get; init; }

    /// <summary>VoxCPM2: the residual LM applies no rotary embedding (its KV cache still advances).</summary>
    public bool ResidualLmNoRope { get; init; }

    /// <summary>The architecture key of VoxCPM2 checkpoints (model doc §9).</summary>
    public const string VoxCpm2Architecture = "voxcpm2";

    /// <summary>
    /// VoxCPM2's model family: residual-LM fusion, LocDiT V2 (mu as two tokens), reference-audio tokens, three context
    /// patches and retry counting generated patches only.
    /// </summary>
    [JsonIgnore]
    public bool IsVoxCpm2 => Architecture == VoxCpm2Architecture;

    /// <summary>Tokens the DiT condition mu occupies in the estimator's sequence: 1 (v1, t added to it) or 2 (V2).</summary>
    [JsonIgnore]
    public int MuTokens => IsVoxCpm2 ? 2 : 1;

    /// <summary>Width of mu <c>[B, MuWidth]</c>: lm_to_dit(lm) + res_to_dit(res) (v1) or their concatenation (V2).</summary>
    [JsonIgnore]
    public int MuWidth => MuTokens * DitConfig.HiddenDim;

    /// <summary>
    /// Prompt patches decoded ahead of the generated ones and cut from the audio (the reference's
    /// <c>streaming_prefix_len − 1</c>: 2 for v1, 3 for VoxCPM2).
    /// </summary>
    [JsonIgnore]
    public int PromptContextPatches => IsVoxCpm2 ? 3 : 2;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static VoxCpmConfig Load(string path)
    {
        VoxCpmConfig? config;
        try
        {
            using var stream = File.OpenRead(path);
            config = JsonSerializer.Deserialize<VoxCpmConfig>(stream, s_json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid VoxCPM config ({e.Message})", e);
        }

        if (config is null)
        {
            throw new InvalidDataException($"{path}: empty config");
        }

        config.Validate(path);
        return config;
    }

    public static VoxCpmConfig Parse(string json, string source = "config.json")
    {
        var config = JsonSerializer.Deserialize<VoxCpmConfig>(json, s_json) ?? throw new InvalidDataException($"{source}: empty config");
        config.Validate(source);
        return config;
    }

    /// <summary>Head dimension shared by every MiniCPM stack (the rope factor lists have hd/2 entries).</summary>
    public int HeadDim => LmConfig.KvChannels ?? (LmConfig.HiddenSize / LmConfig.NumAttentionHeads);

    /// <summary>Input audio samples per latent frame (product of the VAE encoder strides).</summary>
    public int HopLength => AudioVaeConfig.EncoderRates.Aggregate(1, (a, b) => a * b);

    /// <summary>Input audio samples per LM step (one patch), at <see cref="SampleRate"/>.</summary>
    public int PatchSamples => PatchSize * HopLength;

    /// <summary>The VAE encoder's input rate (reference and prompt audio).</summary>
    public int SampleRate => AudioVaeConfig.SampleRate;

    /// <summary>Output audio samples per latent frame (product of the VAE decoder strides).</summary>
    public int DecoderHopLength => AudioVaeConfig.DecoderRates.Aggregate(1, (a, b) => a * b);

    /// <summary>Output audio samples per LM step (one patch), at <see cref="OutputSampleRate"/>.</summary>
    public int OutputPatchSamples => PatchSize * DecoderHopLength;

    /// <summary>
    /// The VAE decoder's output rate. Encoder and decoder share the latent frame rate, so it follows from the two hops
    /// (v1: the same as the input rate; VoxCPM2: 16 kHz in, 48 kHz out).
    /// </summary>
    public int OutputSampleRate => (int)((long)SampleRate * DecoderHopLength / HopLength);

    private void Validate(string source)
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok)
            {
                throw new InvalidDataException($"{source}: '{key}' must be {expected}");
            }
        }

        Require(Architecture is "voxcpm" or VoxCpm2Architecture, "architecture", "\"voxcpm\" (VoxCPM 0.5B / 1.5) or \"voxcpm2\"");
        var lm = LmConfig;
        Require(lm.HiddenSize > 0, "lm_config.hidden_size", "positive");
        Require(lm.NumAttentionHeads > 0 && (lm.KvChannels > 0 || lm.HiddenSize % lm.NumAttentionHeads == 0), "lm_config.num_attention_heads", "positive, and a divisor of hidden_size unless kv_channels gives the head dimension");
        Require(lm.NumKeyValueHeads > 0 && lm.NumAttentionHeads % lm.NumKeyValueHeads == 0, "lm_config.num_key_value_heads", "a positive divisor of num_attention_heads");
        Require(lm.NumHiddenLayers > 0, "lm_config.num_hidden_layers", "positive");
        Require(lm.VocabSize > 101, "lm_config.vocab_size", "larger than the audio_start token id 101");
        Require(HeadDim % 2 == 0, "lm_config.kv_channels", "an even head dimension");
        if (lm.RopeScaling is { } rope)
        {
            Require(rope.ShortFactor.Length == HeadDim / 2 && rope.LongFactor.Length == HeadDim / 2, "lm_config.rope_scaling", $"factor lists of length head_dim/2 = {HeadDim / 2}");
        }

        Require(PatchSize > 0, "patch_size", "positive");
        Require(FeatDim > 0, "feat_dim", "positive");
        Require(ResidualLmNumLayers > 0, "residual_lm_num_layers", "positive");
        Require(ScalarQuantizationLatentDim > 0 && ScalarQuantizationScale > 0, "scalar_quantization_*", "positive");
        foreach (var (name, stack) in new[] { ("encoder_config", EncoderConfig), ("dit_config", (LocalStackConfig)DitConfig) })
        {
            Require(stack.HiddenDim > 0 && stack.NumLayers > 0 && stack.FfnDim > 0, name, "a stack with positive sizes");
            Require(stack.NumHeads > 0 && stack.NumHeads % lm.NumKeyValueHeads == 0, name + ".num_heads", "a positive multiple of num_key_value_heads");
            int stackHeadDim = stack.KvChannels ?? (stack.HiddenDim % stack.NumHeads == 0 ? stack.HiddenDim / stack.NumHeads : -1);
            Require(stackHeadDim == HeadDim, name + ".kv_channels", $"the LM's head dimension {HeadDim} (all stacks share lm_config.rope_scaling), given or as hidden_dim / num_heads");
        }

        Require(!DitMeanMode, "dit_mean_mode", "false (mean-flow variants are not supported)");
        Require(AudioVaeConfig.EncoderRates.Length > 0 && AudioVaeConfig.DecoderRates.Length > 0, "audio_vae_config.*_rates", "non-empty");
        Require(AudioVaeConfig.SampleRate > 0, "audio_vae_config.sample_rate", "positive");
        Require(AudioVaeConfig.LatentDim == FeatDim, "audio_vae_config.latent_dim", "equal to feat_dim");
        Require(MaxLength > 0, "max_length", "positive");
    }
}

public sealed record LmConfig
{
    public int HiddenSize { get; init; } = 1024;
    public int IntermediateSize { get; init; } = 4096;
    public int NumHiddenLayers { get; init; } = 24;
    public int NumAttentionHeads { get; init; } = 16;
    public int NumKeyValueHeads { get; init; } = 2;
    public int? KvChannels { get; init; }
    public int VocabSize { get; init; } = 73448;
    public float RmsNormEps { get; init; } = 1e-5f;
    public double RopeTheta { get; init; } = 10000;
    public int MaxPositionEmbeddings { get; init; } = 32768;
    public RopeScalingConfig? RopeScaling { get; init; }
    public bool UseMup { get; init; }
    public float ScaleEmb { get; init; } = 1;
    public float DimModelBase { get; init; } = 256;
    public float ScaleDepth { get; init; } = 1;
    public bool NoRope { get; init; }
}

public sealed record RopeScalingConfig
{
    public string Type { get; init; } = "longrope";
    public double[] LongFactor { get; init; } = [];
    public double[] ShortFactor { get; init; } = [];
    public int OriginalMaxPositionEmbeddings { get; init; } = 32768;
}

/// <summary>A local (bidirectional) MiniCPM stack: the local encoder or the local DiT.</summary>
public record LocalStackConfig
{
    public int HiddenDim { get; init; } = 1024;
    public int FfnDim { get; init; } = 4096;
    public int NumHeads { get; init; } = 16;
    public int NumLayers { get; init; } = 4;
    public int? KvChannels { get; init; }
}

public sealed record DitConfig : LocalStackConfig
{
    public CfmConfig CfmConfig { get; init; } = new();
}

public sealed record CfmConfig
{
    public float SigmaMin { get; init; } = 1e-6f;
    public string Solver { get; init; } = "euler";
    public float InferenceCfgRate { get; init; } = 2.0f;
}

public sealed record AudioVaeConfig
{
    public int EncoderDim { get; init; } = 128;
    public int[] EncoderRates { get; init; } = [2, 5, 8, 8];
    public int LatentDim { get; init; } = 64;
    public int DecoderDim { get; init; } = 1536;
    public int[] DecoderRates { get; init; } = [8, 8, 5, 2];
    public bool Depthwise { get; init; } = true;
    public int SampleRate { get; init; } = 16000;
    public bool UseNoiseBlock { get; init; }
}
