using Hangfire;
using Hangfire.Server;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// The Hangfire job behind a non-streaming request: runs it through <see cref="ISynthesisService"/> (the one path),
/// collects the audio and stores it as WAV in the history row. Public with an <see cref="IServiceProvider"/>
/// constructor because Hangfire activates and invokes it by reflection.
/// </summary>
public sealed partial class SynthesisJob(IServiceProvider services)
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
        var history = services.GetRequiredService<JobHistory>();
        var logger = services.GetRequiredService<ILogger<SynthesisJob>>();
        using var scope = services.GetRequiredService<RequestTracking>().Begin(logger, EntryPoint.Job, requestId, synthesisId);
        var attempt = (perform?.GetJobParameter<int>("RetryCount") ?? 0) + 1;
        LogRunning(logger, synthesisId, attempt);
        await history.MarkRunningAsync(synthesisId, cancellationToken);

        var (code, message) = await SynthesizeAsync(request with { Mode = SynthesisMode.NonStreaming }, synthesisId, requestId, client, history, cancellationToken);
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
        SynthesisRequest request, Guid synthesisId, string requestId, string? client, JobHistory history, CancellationToken cancellationToken)
    {
        if (services.GetService<ISynthesisService>() is not { } synthesis)
        {
            return (ErrorCodes.ModelNotReady, "the synthesis service is not available on this node");
        }

        SynthesisRun run;
        try
        {
            run = await synthesis.StartAsync(request, new SynthesisContext(EntryPoint.Job, requestId, client, synthesisId), cancellationToken);
        }
        catch (SynthesisRejectedException ex)
        {
            return (ex.Code, ex.Message);
        }
        catch (SchedulerBusyException ex)
        {
            return (ErrorCodes.Busy, ex.Message);
        }

        var audio = new AudioAccumulator();
        await foreach (var e in run.Events.ReadAllAsync(cancellationToken))
        {
            switch (e)
            {
                case AudioChunkEvent chunk:
                    audio.Append(chunk.Samples.Span);
                    break;
                case CompletedEvent completed:
                    var sampleRate = run.SampleRate > 0 ? run.SampleRate : completed.Summary.SampleRate;
                    var wav = WavWriter.ToWavBytes(audio.Samples, sampleRate);
                    await history.MarkCompletedAsync(synthesisId, completed.Summary, wav, sampleRate, (double)audio.Samples.Length / sampleRate, cancellationToken);
                    return (null, "");
                case FailedEvent failed:
                    // A stopping server cancels the synthesis; surface that as cancellation so Hangfire requeues.
                    cancellationToken.ThrowIfCancellationRequested();
                    return (failed.Code, failed.Message);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return (ErrorCodes.InternalError, "the synthesis ended without completing");
    }

    /// <summary>Grows one float buffer for the whole result (a job's audio is bounded by the text-length step cap).</summary>
    private sealed class AudioAccumulator
    {
        private float[] _buffer = new float[16_000];
        private int _length;

        public ReadOnlySpan<float> Samples => _buffer.AsSpan(0, _length);

        public void Append(ReadOnlySpan<float> samples)
        {
            if (_length + samples.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + samples.Length));
            }

            samples.CopyTo(_buffer.AsSpan(_length));
            _length += samples.Length;
        }
    }

    [LoggerMessage(EventId = 4200, EventName = "SynthesisJobRunning", Level = LogLevel.Information, Message = "Synthesis job for {SynthesisId} running (attempt {Attempt})")]
    private static partial void LogRunning(ILogger logger, Guid synthesisId, int attempt);

    [LoggerMessage(EventId = 4201, EventName = "SynthesisJobFailed", Level = LogLevel.Warning, Message = "Synthesis job for {SynthesisId} failed for good: {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, Guid synthesisId, string code, string message);
}
