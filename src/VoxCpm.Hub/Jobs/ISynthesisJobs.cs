using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Non-streaming synthesis as durable Hangfire jobs on PostgreSQL: accepted requests survive a restart and
/// end completed or failed; the result is in history.
/// </summary>
public interface ISynthesisJobs
{
    /// <summary>Validates and enqueues; returns the job and history ids at once (validation refusals throw <see cref="SynthesisRejectedException"/>).</summary>
    Task<JobTicket> EnqueueAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken);

    /// <summary>The job's current state, or null for an unknown job.</summary>
    Task<JobUpdate?> GetStatusAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The job's updates from now until it completes or fails (the current state first).</summary>
    IAsyncEnumerable<JobUpdate> WatchAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The finished audio of a synthesis as a WAV file (PCM16 mono), or null when there is none.</summary>
    Task<StoredAudio?> GetAudioAsync(Guid synthesisId, CancellationToken cancellationToken);
}

public sealed record StoredAudio(byte[] Wav, int SampleRate, double DurationSeconds);
