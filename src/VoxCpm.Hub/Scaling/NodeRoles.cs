namespace VoxCpm.Hub.Scaling;

/// <summary>What one hub node does (TTS_ROLES): serve clients, run synthesis jobs, or both (the default).</summary>
[Flags]
internal enum NodeRoles
{
    None = 0,

    /// <summary>Serves clients: raw <c>/tts</c>, the SignalR hub, the HTTP API and the web UI; streams on its own engine.</summary>
    Api = 1,

    /// <summary>Runs a Hangfire server for the <c>synthesis</c> queue: non-streaming jobs submitted on any node.</summary>
    Worker = 2,

    Both = Api | Worker,
}
