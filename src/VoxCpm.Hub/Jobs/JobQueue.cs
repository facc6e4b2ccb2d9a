using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Shutdown;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Durable delivery for <see cref="SynthesisService"/>: writes the history row of an accepted request (queued),
/// enqueues its Hangfire job on the <c>synthesis</c> queue and records the job id on the row.
/// </summary>
internal sealed partial class JobQueue(
    IBackgroundJobClient jobs,
    JobHistory history,
    DatabaseState database,
    ShutdownDrain drain,
    ILogger<JobQueue> logger) : ISynthesisJobQueue
{
    public async Task<JobTicket> EnqueueAsync(SynthesisRequest accepted, SynthesisContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(context);
        if (drain.IsDraining)
        {
            throw ShutdownDrain.Refusal();
        }

        if (accepted.VoiceId is { } voiceId && !await history.VoiceExistsAsync(voiceId, cancellationToken))
        {
            throw new SynthesisRejectedException(ErrorCodes.NotFound, $"voice_id {voiceId} is not a saved voice", "voice_id");
        }

        // A durable job lives in PostgreSQL: without it nothing can be accepted, and the caller is told so at once.
        if (database.NotReadyReason is { } reason)
        {
            throw new SynthesisRejectedException(ErrorCodes.Unavailable, $"jobs are unavailable while the database is not ready ({reason}); try again later");
        }

        var synthesisId = context.SynthesisId ?? Guid.CreateVersion7();
        try
        {
            await history.CreateAsync(synthesisId, accepted, context, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException)
        {
            LogDatabaseUnavailable(logger, ex);
            throw new SynthesisRejectedException(ErrorCodes.Unavailable, "jobs are unavailable: the database does not answer; try again later");
        }

        string jobId;
        try
        {
            jobId = jobs.Create<SynthesisJob>(
                job => job.RunAsync(accepted, synthesisId, context.RequestId, context.Client, null, CancellationToken.None),
                new EnqueuedState(SynthesisJob.Queue));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEnqueueFailed(logger, synthesisId, ex);
            await history.MarkFailedAsync(synthesisId, ErrorCodes.InternalError, "the job could not be enqueued: " + ex.Message, CancellationToken.None);
            throw new SynthesisRejectedException(ErrorCodes.InternalError, "the job could not be enqueued; try again later");
        }

        await history.SetJobIdAsync(synthesisId, jobId, CancellationToken.None);
        LogEnqueued(logger, jobId, synthesisId);
        return new JobTicket(jobId, synthesisId);
    }

    [LoggerMessage(EventId = 4210, EventName = "SynthesisJobEnqueued", Level = LogLevel.Information, Message = "Enqueued synthesis job {JobId} for {SynthesisId}")]
    private static partial void LogEnqueued(ILogger logger, string jobId, Guid synthesisId);

    [LoggerMessage(EventId = 4211, EventName = "JobDatabaseUnavailable", Level = LogLevel.Warning, Message = "A job was refused: the database does not answer")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4212, EventName = "JobEnqueueFailed", Level = LogLevel.Error, Message = "Synthesis {SynthesisId} could not be enqueued")]
    private static partial void LogEnqueueFailed(ILogger logger, Guid synthesisId, Exception exception);
}
