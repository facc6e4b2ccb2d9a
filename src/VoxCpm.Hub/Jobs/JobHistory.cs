using Microsoft.EntityFrameworkCore;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Data;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Requests;
using Row = VoxCpm.Hub.Data.Entities.SynthesisRecord;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// The history rows of jobs, written directly and awaited (not through the recorder's queue): a job is accepted
/// only once its row exists, and it succeeds only once its audio is stored, so neither can be lost in a crash.
/// Each change wakes this node's watchers and is published to the other nodes' followers (<see cref="IJobUpdatePublisher"/>).
/// </summary>
internal sealed class JobHistory(IDbContextFactory<HubDbContext> contexts, JobNotifier notifier, IJobUpdatePublisher publisher)
{
    public async Task CreateAsync(Guid id, SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Syntheses.Add(HistoryRows.NewAccepted(id, request, context, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> VoiceExistsAsync(Guid voiceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Voices.AnyAsync(v => v.Id == voiceId, cancellationToken);
    }

    public Task SetJobIdAsync(Guid id, string jobId, CancellationToken cancellationToken) =>
        UpdateAsync(id, set => set.SetProperty(s => s.JobId, jobId), cancellationToken);

    public Task MarkRunningAsync(Guid id, CancellationToken cancellationToken) =>
        UpdateAsync(id, set => set.SetProperty(s => s.Status, SynthesisStatus.Running).SetProperty(s => s.FinishedAt, (DateTimeOffset?)null), cancellationToken);

    public Task MarkRetryingAsync(Guid id, string code, string message, CancellationToken cancellationToken) =>
        UpdateAsync(id, set => set
            .SetProperty(s => s.Status, SynthesisStatus.Queued)
            .SetProperty(s => s.ErrorCode, code)
            .SetProperty(s => s.ErrorMessage, message), cancellationToken);

    public Task MarkFailedAsync(Guid id, string code, string message, CancellationToken cancellationToken) =>
        UpdateAsync(id, set => set
            .SetProperty(s => s.Status, code == ErrorCodes.Cancelled ? SynthesisStatus.Cancelled : SynthesisStatus.Failed)
            .SetProperty(s => s.ErrorCode, code)
            .SetProperty(s => s.ErrorMessage, message)
            .SetProperty(s => s.FinishedAt, DateTimeOffset.UtcNow), cancellationToken);

    public async Task MarkCompletedAsync(Guid id, SynthesisSummary summary, byte[] wav, int sampleRate, double audioSeconds, CancellationToken cancellationToken)
    {
        var ttfa = summary.TimeToFirstAudio is { } first ? (int?)Math.Round(first.TotalMilliseconds) : null;
        string[] warnings = [.. summary.Warnings ?? []];
        await UpdateAsync(id, set => set
            .SetProperty(s => s.Status, SynthesisStatus.Completed)
            .SetProperty(s => s.QueueWaitMs, (int)Math.Round(summary.QueueWait.TotalMilliseconds))
            .SetProperty(s => s.TimeToFirstAudioMs, ttfa)
            .SetProperty(s => s.TotalMs, (int)Math.Round(summary.Total.TotalMilliseconds))
            .SetProperty(s => s.AudioSeconds, audioSeconds)
            .SetProperty(s => s.Rtf, summary.RealTimeFactor)
            .SetProperty(s => s.SampleRate, sampleRate)
            .SetProperty(s => s.Segments, summary.Segments)
            .SetProperty(s => s.Attempts, summary.Attempts)
            .SetProperty(s => s.Warnings, warnings)
            .SetProperty(s => s.Audio, wav)
            .SetProperty(s => s.ErrorCode, (string?)null)
            .SetProperty(s => s.ErrorMessage, (string?)null)
            .SetProperty(s => s.FinishedAt, DateTimeOffset.UtcNow), cancellationToken);
    }

    /// <summary>The job's current state as its watchers see it, or null for an unknown job.</summary>
    public Task<JobUpdate?> GetUpdateAsync(string jobId, CancellationToken cancellationToken) =>
        GetUpdateAsync(s => s.JobId == jobId, cancellationToken);

    private async Task<JobUpdate?> GetUpdateAsync(System.Linq.Expressions.Expression<Func<Row, bool>> which, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Syntheses.AsNoTracking().Where(which).Where(s => s.JobId != null)
            .Select(s => new
            {
                s.Id,
                s.JobId,
                s.Status,
                s.ErrorCode,
                s.ErrorMessage,
                s.QueueWaitMs,
                s.TimeToFirstAudioMs,
                s.TotalMs,
                s.AudioSeconds,
                s.Rtf,
                s.SampleRate,
                s.Segments,
                s.Attempts,
                s.Warnings,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var completed = row.Status == SynthesisStatus.Completed;
        return new JobUpdate
        {
            JobId = row.JobId!,
            SynthesisId = row.Id,
            Status = EnumText.Of(row.Status),
            Progress = completed ? 1.0 : row.Status == SynthesisStatus.Queued ? 0.0 : null,
            Summary = completed ? new SynthesisCompletion
            {
                SynthesisId = row.Id,
                Duration = row.AudioSeconds ?? 0,
                SampleRate = row.SampleRate ?? 0,
                Samples = (long)Math.Round((row.AudioSeconds ?? 0) * (row.SampleRate ?? 0)),
                QueueWaitMs = row.QueueWaitMs ?? 0,
                TimeToFirstAudioMs = row.TimeToFirstAudioMs,
                TotalMs = row.TotalMs ?? 0,
                Rtf = row.Rtf ?? 0,
                Segments = row.Segments ?? 1,
                Attempts = row.Attempts ?? 0,
                Warnings = row.Warnings ?? [],
            } : null,
            Error = row.ErrorCode is { } code ? new ErrorInfo { Code = code, Message = row.ErrorMessage ?? "" } : null,
        };
    }

    public async Task<StoredAudio?> GetAudioAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Syntheses.AsNoTracking().Where(s => s.Id == id && s.Audio != null)
            .Select(s => new { s.Audio, s.SampleRate, s.AudioSeconds })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : new StoredAudio(row.Audio!, row.SampleRate ?? 0, row.AudioSeconds ?? 0);
    }

    private async Task UpdateAsync(
        Guid id,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Row>> set,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Syntheses.Where(s => s.Id == id).ExecuteUpdateAsync(set, cancellationToken);
        notifier.Notify(id);
        if (publisher.IsEnabled && await GetUpdateAsync(s => s.Id == id, CancellationToken.None) is { } update)
        {
            await publisher.PublishAsync(update, CancellationToken.None);
        }
    }
}
