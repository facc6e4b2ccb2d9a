using VoxCpm.Engine.Onnx;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Inference;

/// <summary>Which model to load and how to run it: TTS_MODEL_NAME, TTS_DEVICE, TTS_PRECISION, TTS_QUANTIZATION and TTS_CUDA_GRAPHS.</summary>
internal sealed class ModelOptions : IBindsSettings<ModelOptions>
{
    private static readonly IReadOnlyDictionary<string, ComputeDevice> s_devices = new Dictionary<string, ComputeDevice>
    {
        ["cuda"] = ComputeDevice.Cuda,
        ["cpu"] = ComputeDevice.Cpu,
        ["auto"] = ComputeDevice.Auto,
    };

    private static readonly IReadOnlyDictionary<string, ComputePrecision> s_precisions = new Dictionary<string, ComputePrecision>
    {
        ["auto"] = ComputePrecision.Auto,
        ["fp32"] = ComputePrecision.Float32,
        ["fp16"] = ComputePrecision.Float16,
    };

    private static readonly IReadOnlyDictionary<string, WeightQuantization> s_quantizations = new Dictionary<string, WeightQuantization>
    {
        ["none"] = WeightQuantization.None,
        ["int8"] = WeightQuantization.Int8,
        ["int4"] = WeightQuantization.Int4,
    };

    /// <summary>A Hugging Face repository id (found in the local HF cache) or a local model directory.</summary>
    public string ModelName { get; set; } = HubDefaults.ModelName;

    public ComputeDevice Device { get; set; } = HubDefaults.Device;

    /// <summary>Transformer compute precision: auto = float16 on CUDA (its attention kernel has no float32), float32 on the CPU.</summary>
    public ComputePrecision Precision { get; set; } = HubDefaults.Precision;

    /// <summary>Weight-only quantization of the transformer matrices; int4 reaches real time on a 2-core CPU.</summary>
    public WeightQuantization Quantization { get; set; } = HubDefaults.Quantization;

    /// <summary>On CUDA, replay the CFM solver's Euler steps from captured CUDA graphs (halves its time at batch 1).</summary>
    public bool CudaGraphs { get; set; } = HubDefaults.CudaGraphs;

    public static void Bind(SettingsReader settings, ModelOptions options)
    {
        options.ModelName = settings.String(SettingNames.ModelName, HubDefaults.ModelName);
        options.Device = settings.Choice(SettingNames.Device, HubDefaults.Device, s_devices);
        options.Precision = settings.Choice(SettingNames.Precision, HubDefaults.Precision, s_precisions);
        options.Quantization = settings.Choice(SettingNames.Quantization, HubDefaults.Quantization, s_quantizations);
        options.CudaGraphs = settings.Bool(SettingNames.CudaGraphs, HubDefaults.CudaGraphs);
    }
}
