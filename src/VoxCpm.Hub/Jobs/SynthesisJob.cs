using Hangfire;
using Hangfire.Server;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// The Hangfire job behind a durable request: runs it through <see cref="ISynthesisService"/> (the one path; the
/// request was validated and seeded when it was accepted), collects the audio and stores it as WAV in the history
/// row. Hangfire activates it from the container, so its dependencies come through the constructor.
/// </summary>
internal sealed partial class SynthesisJob(ISynthesisService synthesis, JobHistory history, RequestTracking tracking, ILogger<SynthesisJob> logger)
{
    public const string Queue = "synthesis";
    public const int MaxRetries = 3;

    private static readonly HashSet<string> s_permanentCodes = new(StringComparer.Ordinal)
    {
        ErrorCodes.InvalidRequest,
        ErrorCodes.PromptAudioInvalid,
        ErrorCodes.NotFound,
    };

    /// <summary>
    /// Runs one attempt. Transient failures throw <see cref="TransientSynthesisFailureException"/> (retried); permanent ones
    /// mark the row failed and throw <see cref="PermanentSynthesisFailureException"/> (not retried). A stopping server
    /// cancels <paramref name="cancellationToken"/>; Hangfire then requeues the job for the next server.
    /// </summary>
    [Queue(Queue)]
    [AutomaticRetry(Attempts = MaxRetries, DelaysInSeconds = [1, 5, 15], ExceptOn = [typeof(PermanentSynthesisFailureException)], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(SynthesisRequest request, Guid synthesisId, string requestId, string? client, PerformContext? perform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = tracking.Begin(logger, EntryPoint.Job, requestId, synthesisId);
        var attempt = (perform?.GetJobParameter<int>("RetryCount") ?? 0) + 1;
        LogRunning(logger, synthesisId, attempt);
        await history.MarkRunningAsync(synthesisId, cancellationToken);

        var (code, message) = await SynthesizeAsync(request with { Mode = SynthesisMode.NonStreaming }, synthesisId, requestId, client, cancellationToken);
        if (code is null)
        {
            scope.Completed();
            return;
        }

        scope.Ended(code);

        if (s_permanentCodes.Contains(code))
        {
            await history.MarkFailedAsync(synthesisId, code, message, CancellationToken.None);
            LogFailed(logger, synthesisId, code, message);
            throw new PermanentSynthesisFailureException($"{code}: {message}");
        }

        if (attempt > MaxRetries)
        {
            await history.MarkFailedAsync(synthesisId, code, $"{message} (after {attempt} attempts)", CancellationToken.None);
            LogFailed(logger, synthesisId, code, message);
        }
        else
        {
            await history.MarkRetryingAsync(synthesisId, code, $"attempt {attempt} failed, will retry: {message}", CancellationToken.None);
        }

        throw new TransientSynthesisFailureException($"{code}: {message}");
    }

    // (null, _) on success; else the error code and message.
    private async Task<(string? Code, string Message)> SynthesizeAsync(
        SynthesisRequest request, Guid synthesisId, string requestId, string? client, CancellationToken cancellationToken)
    {
        SynthesisRun run;
        try
        {
            run = await synthesis.StartAsync(request, new SynthesisContext(EntryPoint.Job, requestId, client, synthesisId), cancellationToken);
        }
        catch (SynthesisRejectedException ex)
        {
            return (ex.Code, ex.Message);
        }

        var whole = await WholeAudio.CollectAsync(run);
        if (whole.Summary is { } summary)
        {
            var wav = WavWriter.ToWavBytes(whole.Samples.Span, whole.SampleRate);
            await history.MarkCompletedAsync(synthesisId, summary, wav, whole.SampleRate, (double)whole.Samples.Length / whole.SampleRate, cancellationToken);
            return (null, "");
        }

        // A stopping server cancels the synthesis; surface that as cancellation so Hangfire requeues.
        cancellationToken.ThrowIfCancellationRequested();
        return (whole.Failure!.Code, whole.Failure.Message);
    }

    [LoggerMessage(EventId = 4200, EventName = "SynthesisJobRunning", Level = LogLevel.Information, Message = "Synthesis job for {SynthesisId} running (attempt {Attempt})")]
    private static partial void LogRunning(ILogger logger, Guid synthesisId, int attempt);

    [LoggerMessage(EventId = 4201, EventName = "SynthesisJobFailed", Level = LogLevel.Warning, Message = "Synthesis job for {SynthesisId} failed for good: {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, Guid synthesisId, string code, string message);
}
