namespace VoxCpm.Hub.Data.Entities;

public enum SynthesisStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
