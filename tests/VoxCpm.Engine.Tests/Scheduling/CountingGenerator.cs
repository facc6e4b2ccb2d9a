using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Tests.Scheduling;

/// <summary>A test double: each request asks for a number of steps; every step yields <see cref="SamplesPerStep"/> samples.</summary>
internal sealed class CountingGenerator : IBatchGenerator<CountingRequest>
{
    public const int SamplesPerStep = 4;

    private readonly object _gate = new();

    public int SampleRate => 16000;

    /// <summary>Samples each step yields (<see cref="SamplesPerStep"/> unless a test needs audio of a real step's length).</summary>
    public int StepSamples { get; init; } = SamplesPerStep;

    /// <summary>When set, each step moves this clock on by <see cref="StepTime"/> of its batch size (a model's cost without the wait).</summary>
    public ManualTimeProvider? Clock { get; init; }

    public Func<int, TimeSpan> StepTime { get; init; } = _ => TimeSpan.Zero;

    /// <summary>What each request's prefill costs on <see cref="Clock"/> (a batch costs this per request).</summary>
    public TimeSpan PrefillTime { get; init; }

    /// <summary>The requests of each step, in the order the step received them.</summary>
    public List<string[]> Batches { get; } = [];

    /// <summary>The requests of each prefill call, in order (including calls that threw).</summary>
    public List<string[]> Prefills { get; } = [];

    int IBatchGenerator<CountingRequest>.SamplesPerStep => StepSamples;

    public List<int> BatchSizes { get; } = [];

    /// <summary>Requests whose prefill succeeded, in order.</summary>
    public List<string> Started { get; } = [];

    public int Released;

    /// <summary>When set, each step waits for it, so a test controls the pace.</summary>
    public SemaphoreSlim? StepGate { get; set; }

    /// <summary>When set, each prefill call waits for it.</summary>
    public SemaphoreSlim? PrefillGate { get; set; }

    /// <summary>When set, preparing each request waits for it (holds the scheduler's admission until a test has submitted a group).</summary>
    public SemaphoreSlim? PrepareGate { get; set; }

    public int PrefillCalls;

    public IGenerationState Prepare(CountingRequest request, CancellationToken cancellationToken)
    {
        PrepareGate?.Wait(TimeSpan.FromSeconds(10), cancellationToken);
        if (request.FailAtBegin)
        {
            throw new SynthesisException("prompt_audio_invalid", "bad prompt for " + request.Name);
        }

        return new State(request);
    }

    public void Prefill(IReadOnlyList<IGenerationState> states, CancellationToken cancellationToken)
    {
        string[] names = [.. states.Cast<State>().Select(s => s.Request.Name)];
        lock (_gate)
        {
            Prefills.Add(names);
        }

        Interlocked.Increment(ref PrefillCalls);
        PrefillGate?.Wait(TimeSpan.FromSeconds(10), cancellationToken);
        Clock?.Advance(PrefillTime * states.Count);
        if (states.Cast<State>().FirstOrDefault(s => s.Request.FailAtPrefill) is { } faulty)
        {
            throw new InvalidOperationException("out of device memory in the prefill of " + faulty.Request.Name);
        }

        lock (_gate)
        {
            Started.AddRange(names);
        }
    }

    public void Advance(IReadOnlyList<IGenerationState> batch, CancellationToken cancellationToken)
    {
        StepGate?.Wait(TimeSpan.FromSeconds(10), cancellationToken);
        lock (_gate)
        {
            BatchSizes.Add(batch.Count);
            Batches.Add([.. batch.Cast<State>().Select(s => s.Request.Name)]);
        }

        Clock?.Advance(StepTime(batch.Count));

        // Like the real generator: compute for the whole batch first, commit only when nothing threw.
        foreach (State s in batch)
        {
            if (s.Request.FailAtStep == s.Steps)
            {
                throw new InvalidOperationException("numerical blow-up in " + s.Request.Name);
            }
        }

        foreach (State s in batch)
        {
            s.Steps++;
            var audio = new float[StepSamples];
            Array.Fill(audio, s.Request.Value);
            s.PendingAudio = audio;
            s.IsFinished = s.Steps >= s.Request.Steps;
        }
    }

    public void Release(IGenerationState state) => Interlocked.Increment(ref Released);

    private sealed class State(CountingRequest request) : IGenerationState
    {
        public CountingRequest Request { get; } = request;

        public ReadOnlyMemory<float> PendingAudio { get; set; }

        public bool IsFinished { get; set; }

        public int Steps { get; set; }

        public int Attempts => 1;

        public string StopReason => "stop_head";

        public int Segments => 1;

        public IReadOnlyList<string> Warnings => [];

        public IReadOnlyList<GuardEvent> GuardEvents => [];
    }
}

internal sealed record CountingRequest(string Name, int Steps, float Value = 0.5f, int FailAtStep = -1, bool FailAtBegin = false, bool FailAtPrefill = false);
