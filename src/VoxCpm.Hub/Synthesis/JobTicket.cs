namespace VoxCpm.Hub.Synthesis;

/// <summary>A request accepted as a durable job: the Hangfire job and the history row that holds its result.</summary>
public sealed record JobTicket(string JobId, Guid SynthesisId);
