using VoxCpm.Engine;
using VoxCpm.Engine.Generation;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Tests.Jobs;

/// <summary>
/// Test-only <see cref="ISynthesisService"/> until the real one lands: validates, then submits straight to the
/// real engine's scheduler. Hooks let a test refuse a request, hold it, or fail it transiently first.
/// </summary>
internal sealed class SchedulerSynthesisService(VoxCpmEngine engine) : ISynthesisService
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Awaited before submitting (e.g. a gate that never opens: the job is running when the host stops).</summary>
    public Func<CancellationToken, Task>? Hold { get; init; }

    /// <summary>Calls that fail as busy before one succeeds.</summary>
    public int BusyFirst { get; init; }

    public async Task<SynthesisRun> StartAsync(SynthesisRequest request, SynthesisContext context, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (SynthesisRequestValidator.Validate(request, SynthesisLimits.Default) is { } error)
        {
            throw SynthesisRejectedException.From(error);
        }

        if (request.PromptWavUrl is not null)
        {
            throw new SynthesisRejectedException(ErrorCodes.PromptAudioInvalid, "the reference audio cannot be fetched", "prompt_wav_url");
        }

        if (call <= BusyFirst)
        {
            throw new SynthesisRejectedException(ErrorCodes.Busy, "the queue is full");
        }

        if (Hold is { } hold)
        {
            await hold(cancellationToken);
        }

        var ticket = engine.Scheduler.Submit(
            new GenerationRequest
            {
                Text = request.Text,
                CfgValue = (float)request.CfgValue,
                InferenceTimesteps = request.InferenceTimesteps,
                Streaming = false,
                Seed = request.Seed ?? 1,
                MaxLength = 64,
            },
            cancellationToken);
        return new SynthesisRun(context.SynthesisId ?? Guid.CreateVersion7(), context.RequestId, engine.SampleRate, ticket.Events);
    }
}
