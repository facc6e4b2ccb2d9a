using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// The server's status as the hub reports it: model, device, model state, the scheduler's load, and what the loaded
/// model accepts (its inputs and the request limits), which the web UI shows instead of copies of its own.
/// </summary>
internal sealed class ServerStatusSource(IModelLifecycle model, IEngineAccessor engines, IOptions<ModelOptions> modelOptions, IOptions<SynthesisOptions> synthesisOptions)
{
    public ServerStatus Current()
    {
        var engine = engines.Engine;
        return new ServerStatus
        {
            Model = DisplayName(modelOptions.Value.ModelName),
            Device = (engine?.Device.ToString() ?? modelOptions.Value.Device.ToString()).ToLowerInvariant(),
            ModelState = model.State.Status.ToString().ToLowerInvariant(),
            SampleRate = engine?.SampleRate ?? 0,
            ActiveStreams = engine?.Scheduler.ActiveCount ?? 0,
            QueueLength = engine?.Scheduler.QueueLength ?? 0,
            MaxConcurrent = synthesisOptions.Value.MaxConcurrent,
            Architecture = engine?.Config.Architecture ?? "",
            VoxCpm2Inputs = engine?.SupportsReferenceAudio ?? false,
            Limits = new RequestLimits { MaxTextLength = synthesisOptions.Value.MaxTextLength },
        };
    }

    /// <summary>
    /// The model's name as users know it: a Hugging Face id (<c>openbmb/VoxCPM-0.5B</c>) as it is, a local checkpoint
    /// directory by its own name; the server's filesystem layout is nobody else's business.
    /// </summary>
    public static string DisplayName(string modelName)
    {
        var trimmed = modelName.TrimEnd('/', '\\');
        var isPath = Path.IsPathRooted(trimmed) || trimmed.StartsWith('.') || trimmed.Contains('\\') || trimmed.Count(c => c == '/') > 1 || Directory.Exists(trimmed);
        return isPath ? Path.GetFileName(trimmed) : trimmed;
    }
}
