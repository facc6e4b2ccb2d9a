namespace VoxCpm.Hub.Contracts;

/// <summary>
/// Where a synthesis (a history row, a job) stands. Stored and sent as lower case text (<c>queued</c>,
/// <c>running</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>).
/// </summary>
public enum SynthesisStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
