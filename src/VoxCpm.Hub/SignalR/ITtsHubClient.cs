using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.SignalR;

/// <summary>Callbacks the server invokes on clients (names in <see cref="TtsHubMethods"/>).</summary>
#pragma warning disable VSTHRD200 // the method names are the wire names clients subscribe to (TtsHubMethods)
public interface ITtsHubClient
{
    Task JobUpdated(JobUpdate update);

    Task StatusChanged(ServerStatus status);
}
#pragma warning restore VSTHRD200
