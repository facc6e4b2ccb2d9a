namespace VoxCpm.Hub.Contracts.Hub;

/// <summary>Values of <see cref="SynthesisStreamItem.Kind"/>.</summary>
public static class StreamItemKind
{
    public const string Queued = "queued";
    public const string Started = "started";
    public const string Audio = "audio";
    public const string Progress = "progress";
    public const string Complete = "complete";
    public const string Error = "error";

    /// <summary>A non-streaming request became a job; the final audio is fetched by job id.</summary>
    public const string JobAccepted = "job_accepted";
}
