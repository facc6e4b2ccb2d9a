namespace VoxCpm.Hub.Data.Entities;

/// <summary>The transport a request arrived on; stored as <c>raw_ws</c>, <c>signalr</c>, <c>http</c>, <c>job</c>.</summary>
public enum EntryPoint
{
    RawWs,
    SignalR,
    Http,
    Job,
}
