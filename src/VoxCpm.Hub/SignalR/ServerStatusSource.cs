using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.SignalR;

/// <summary>The server's status as the hub reports it: model, device, model state and the scheduler's load.</summary>
internal sealed class ServerStatusSource(IModelLifecycle model, IEngineAccessor engines, IOptions<ModelOptions> modelOptions, IOptions<SynthesisOptions> synthesisOptions)
{
    public ServerStatus Current()
    {
        var engine = engines.Engine;
        return new ServerStatus
        {
            Model = modelOptions.Value.ModelName,
            Device = (engine?.Device.ToString() ?? modelOptions.Value.Device.ToString()).ToLowerInvariant(),
            ModelState = model.State.Status.ToString().ToLowerInvariant(),
            SampleRate = engine?.SampleRate ?? 0,
            ActiveStreams = engine?.Scheduler.ActiveCount ?? 0,
            QueueLength = engine?.Scheduler.QueueLength ?? 0,
            MaxConcurrent = synthesisOptions.Value.MaxConcurrent,
        };
    }
}
