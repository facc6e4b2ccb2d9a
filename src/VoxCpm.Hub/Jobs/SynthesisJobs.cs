using System.Runtime.CompilerServices;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Durable jobs as callers see them: enqueue through the one synthesis path (<see cref="SynthesisService.EnqueueAsync"/>),
/// then read or watch the job's row.
/// </summary>
internal sealed class SynthesisJobs(SynthesisService synthesis, JobHistory history, JobNotifier notifier) : ISynthesisJobs
{
    /// <summary>How often a watcher re-reads the row when no local notification arrives (jobs run by other nodes).</summary>
    public static TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public Task<JobTicket> EnqueueAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken) =>
        synthesis.EnqueueAsync(request, context, cancellationToken);

    public Task<JobUpdate?> GetStatusAsync(string jobId, CancellationToken cancellationToken) =>
        history.GetUpdateAsync(jobId, cancellationToken);

    public async IAsyncEnumerable<JobUpdate> WatchAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = await history.GetUpdateAsync(jobId, cancellationToken)
            ?? throw new SynthesisRejectedException(ErrorCodes.NotFound, $"no job {jobId}", "jobId");
        yield return current;
        while (!IsTerminal(current.Status))
        {
            await notifier.WaitAsync(current.SynthesisId!.Value, WatchPollInterval, cancellationToken);
            var next = await history.GetUpdateAsync(jobId, cancellationToken);
            if (next is null)
            {
                // Deleted from history while running: nothing more will be known.
                yield break;
            }

            if (next != current)
            {
                current = next;
                yield return current;
            }
        }
    }

    public Task<StoredAudio?> GetAudioAsync(Guid synthesisId, CancellationToken cancellationToken) =>
        history.GetAudioAsync(synthesisId, cancellationToken);

    /// <summary>Whether a job's status (<see cref="JobUpdate.Status"/>, as sent) is final.</summary>
    public static bool IsTerminal(string status) =>
        EnumText.TryParse<SynthesisStatus>(status, out var parsed) && parsed is SynthesisStatus.Completed or SynthesisStatus.Failed or SynthesisStatus.Cancelled;
}
