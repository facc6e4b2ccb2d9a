using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// Durable delivery, implemented by the jobs feature: stores an accepted request (validated, seed fixed) and runs
/// it as a background job that survives a restart. <see cref="SynthesisService"/> decides when to use it.
/// </summary>
internal interface ISynthesisJobQueue
{
    /// <summary>Creates the history row and the job; refusals (database down, unknown voice) throw <see cref="SynthesisRejectedException"/>.</summary>
    Task<JobTicket> EnqueueAsync(SynthesisRequest accepted, SynthesisContext context, CancellationToken cancellationToken);
}
