using System.Runtime.CompilerServices;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Accepts non-streaming requests as durable Hangfire jobs: validates with the one validator, writes the history
/// row (queued), enqueues the job on the <c>synthesis</c> queue and records its id on the row.
/// </summary>
internal sealed partial class SynthesisJobs(
    IBackgroundJobClient jobs,
    JobHistory history,
    JobNotifier notifier,
    DatabaseState database,
    IOptions<SynthesisOptions> limits,
    ILogger<SynthesisJobs> logger) : ISynthesisJobs
{
    /// <summary>How often a watcher re-reads the row when no local notification arrives (jobs run by other nodes).</summary>
    public static TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public async Task<JobTicket> EnqueueAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        // The seed is fixed here, when absent, so that the row records it, retries repeat it and a re-run reproduces the audio.
        request = request with { Mode = SynthesisMode.NonStreaming, Seed = request.Seed ?? RandomSeed.Next() };
        if (SynthesisRequestValidator.Validate(request, new SynthesisLimits(limits.Value.MaxTextLength)) is { } error)
        {
            throw SynthesisRejectedException.From(error);
        }

        if (request.VoiceId is { } voiceId && !await history.VoiceExistsAsync(voiceId, cancellationToken))
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
            await history.CreateAsync(synthesisId, request, context, cancellationToken);
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
                job => job.RunAsync(request, synthesisId, context.RequestId, context.Client, null, CancellationToken.None),
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

    public static bool IsTerminal(string status) => status is "completed" or "failed" or "cancelled";

    [LoggerMessage(EventId = 4210, EventName = "SynthesisJobEnqueued", Level = LogLevel.Information, Message = "Enqueued synthesis job {JobId} for {SynthesisId}")]
    private static partial void LogEnqueued(ILogger logger, string jobId, Guid synthesisId);

    [LoggerMessage(EventId = 4211, EventName = "JobDatabaseUnavailable", Level = LogLevel.Warning, Message = "A job was refused: the database does not answer")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4212, EventName = "JobEnqueueFailed", Level = LogLevel.Error, Message = "Synthesis {SynthesisId} could not be enqueued")]
    private static partial void LogEnqueueFailed(ILogger logger, Guid synthesisId, Exception exception);
}
