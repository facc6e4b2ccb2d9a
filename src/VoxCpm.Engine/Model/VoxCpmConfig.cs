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

    /// <summary>How config.json maps onto these records (snake_case keys, numbers as strings allowed, comments skipped).</summary>
    internal static JsonSerializerOptions JsonOptions => s_json;

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
        return config.WithArchitectureDefaults();
    }

    public static VoxCpmConfig Parse(string json, string source = "config.json")
    {
        var config = JsonSerializer.Deserialize<VoxCpmConfig>(json, s_json) ?? throw new InvalidDataException($"{source}: empty config");
        config.Validate(source);
        return config.WithArchitectureDefaults();
    }

    /// <summary>Head dimension shared by every MiniCPM stack (the rope factor lists have hd/2 entries).</summary>
    public int HeadDim => LmConfig.KvChannels ?? (LmConfig.HiddenSize / LmConfig.NumAttentionHeads);

    /// <summary>Input audio samples per latent frame (product of the VAE encoder strides).</summary>
    public int HopLength => AudioVaeConfig.EncoderHopLength;

    /// <summary>Input audio samples per LM step (one patch), at <see cref="SampleRate"/>.</summary>
    public int PatchSamples => PatchSize * HopLength;

    /// <summary>The VAE encoder's input rate (reference and prompt audio).</summary>
    public int SampleRate => AudioVaeConfig.EncodeSampleRate;

    /// <summary>Sub-configs whose meaning depends on <see cref="Architecture"/> (the AudioVAE version).</summary>
    private VoxCpmConfig WithArchitectureDefaults() => this with { AudioVaeConfig = AudioVaeConfig.ForArchitecture(Architecture) };

    /// <summary>Output audio samples per latent frame (product of the VAE decoder strides).</summary>
    public int DecoderHopLength => AudioVaeConfig.DecoderHopLength;

    /// <summary>Output audio samples per LM step (one patch), at <see cref="OutputSampleRate"/>.</summary>
    public int OutputPatchSamples => PatchSize * DecoderHopLength;

    /// <summary>The VAE decoder's output rate (<c>out_sample_rate</c>; v1: the input rate; VoxCPM2: 16 kHz in, 48 kHz out).</summary>
    public int OutputSampleRate => AudioVaeConfig.DecodeSampleRate;

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

/// <summary>
/// <c>audio_vae_config</c>: the causal DAC-style AudioVAE of VoxCPM 0.5B / 1.5 (<see cref="AudioVaeVersion.V1"/>) or the
/// asymmetric AudioVAE V2 of VoxCPM2, which encodes at <see cref="SampleRate"/> and decodes at
/// <see cref="OutSampleRate"/> with a per-block sample-rate condition. Absent keys take the official code's defaults.
/// </summary>
public sealed record AudioVaeConfig
{
    /// <summary>The condition the official V2 decoder applies when <c>cond_type</c> is absent: <c>x·scale[b] + bias[b]</c>.</summary>
    public const string ScaleBiasCondition = "scale_bias";

    public int EncoderDim { get; init; } = 128;
    public int[] EncoderRates { get; init; } = [2, 5, 8, 8];
    public int LatentDim { get; init; } = 64;
    public int DecoderDim { get; init; } = 1536;
    public int[] DecoderRates { get; init; } = [8, 8, 5, 2];
    public bool Depthwise { get; init; } = true;

    /// <summary>The encoder's input rate (<c>sample_rate</c>); for v1 also the output rate.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>V2: the decoder's output rate (<c>out_sample_rate</c>); absent means <see cref="SampleRate"/>, as for v1.</summary>
    public int? OutSampleRate { get; init; }

    public bool UseNoiseBlock { get; init; }

    /// <summary>
    /// V2: the rate boundaries that pick the decoder's sample-rate condition row (<c>torch.bucketize</c>, right=False).
    /// Null: no condition (v1, or a V2 built with <c>sr_bin_boundaries = None</c>).
    /// </summary>
    public int[]? SrBinBoundaries { get; init; }

    /// <summary>V2 sample-rate condition: <c>scale_bias</c> (default), <c>scale_bias_init</c>, <c>add</c> or <c>concat</c>.</summary>
    public string CondType { get; init; } = ScaleBiasCondition;

    /// <summary>V2: width of the <c>concat</c> condition embedding.</summary>
    public int CondDim { get; init; } = 128;

    /// <summary>V2: a Snake + 1×1 conv after each sample-rate condition.</summary>
    public bool CondOutLayer { get; init; }

    /// <summary>Which official module the checkpoint was built with; not a JSON key, it follows the model's architecture.</summary>
    [JsonIgnore]
    public AudioVaeVersion Version { get; init; } = AudioVaeVersion.V1;

    /// <summary>Rate of the audio the encoder takes (prompts, reference audio).</summary>
    public int EncodeSampleRate => SampleRate;

    /// <summary>Rate of the audio the decoder produces (what the engine outputs).</summary>
    public int DecodeSampleRate => OutSampleRate ?? SampleRate;

    /// <summary>Input samples per latent frame (product of the encoder rates).</summary>
    public int EncoderHopLength => EncoderRates.Aggregate(1, (a, b) => a * b);

    /// <summary>Output samples per latent frame (product of the decoder rates).</summary>
    public int DecoderHopLength => DecoderRates.Aggregate(1, (a, b) => a * b);

    /// <summary>Rows of each sample-rate condition embedding (boundaries + 1); 0 without a condition.</summary>
    public int SampleRateBuckets => SrBinBoundaries is { } b ? b.Length + 1 : 0;

    /// <summary>
    /// The config as the given <c>config.json</c> architecture builds it: <c>voxcpm2</c> selects AudioVAE V2, whose
    /// code default for an absent <c>sr_bin_boundaries</c> is [20000, 30000, 40000]; an absent <c>out_sample_rate</c> is
    /// taken from the hops (a latent frame lasts equally long at both ends: 16 kHz · 1920 / 640 = 48 kHz).
    /// </summary>
    public AudioVaeConfig ForArchitecture(string architecture) => architecture == VoxCpmConfig.VoxCpm2Architecture
        ? this with
        {
            Version = AudioVaeVersion.V2,
            SrBinBoundaries = SrBinBoundaries ?? [20000, 30000, 40000],
            OutSampleRate = OutSampleRate ?? (int)((long)SampleRate * DecoderHopLength / EncoderHopLength),
        }
        : this;
}

/// <summary>The official AudioVAE module a checkpoint was built with (they differ in the encoder's strided-conv padding).</summary>
public enum AudioVaeVersion
{
    /// <summary><c>audio_vae.py</c> (VoxCPM 0.5B, 1.5).</summary>
    V1 = 1,

    /// <summary><c>audio_vae_v2.py</c> (VoxCPM2).</summary>
    V2 = 2,
}
