using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Inference;

/// <summary>Which model to load and where to run it: TTS_MODEL_NAME and TTS_DEVICE.</summary>
internal sealed class ModelOptions : IBindsSettings<ModelOptions>
{
    private static readonly IReadOnlyDictionary<string, ComputeDevice> s_devices = new Dictionary<string, ComputeDevice>
    {
        ["cuda"] = ComputeDevice.Cuda,
        ["cpu"] = ComputeDevice.Cpu,
        ["auto"] = ComputeDevice.Auto,
    };

    /// <summary>A Hugging Face repository id (found in the local HF cache) or a local model directory.</summary>
    public string ModelName { get; set; } = HubDefaults.ModelName;

    public ComputeDevice Device { get; set; } = HubDefaults.Device;

    public static void Bind(SettingsReader settings, ModelOptions options)
    {
        options.ModelName = settings.String(SettingNames.ModelName, HubDefaults.ModelName);
        options.Device = settings.Choice(SettingNames.Device, HubDefaults.Device, s_devices);
    }
}
