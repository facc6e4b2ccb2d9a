namespace VoxCpm.Hub.Scaling;

/// <summary>This node among those sharing a database and a backplane: a name unique per host, for logs and groups.</summary>
internal sealed class NodeIdentity
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The SignalR group of this node's own connections (messages for this node's clients only).</summary>
    public string Group => "node:" + Name;
}
