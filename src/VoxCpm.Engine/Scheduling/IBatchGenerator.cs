namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// The model side of the scheduler: starts requests (prepare, then prefill those that start together as one batch) and
/// advances every active request by one decode step as one batch. Called only from the scheduler's loop thread.
/// </summary>
/// <typeparam name="TRequest">What a caller submits.</typeparam>
public interface IBatchGenerator<in TRequest>
{
    int SampleRate { get; }

    /// <summary>Audio samples one decode step adds to a stream (a patch): what a listener gains per step, for real-time admission.</summary>
    int SamplesPerStep { get; }

    /// <summary>Prepares one request for its prefill (its text, prompt and limits), without running the model. Throwing fails only that request.</summary>
    IGenerationState Prepare(TRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Prefills prepared states that start together, as one batch where the model allows. When it throws, every state is
    /// as prepared: the scheduler then prefills each alone to find the faulty one.
    /// </summary>
    void Prefill(IReadOnlyList<IGenerationState> states, CancellationToken cancellationToken);

    /// <summary>
    /// Advances every state by one step. States are never finished or cancelled when passed in. When it throws,
    /// no state may have been advanced: the scheduler then steps each state alone to find the faulty one.
    /// </summary>
    void Advance(IReadOnlyList<IGenerationState> batch, CancellationToken cancellationToken);

    /// <summary>Releases what a state holds (KV slot, buffers). Called exactly once per state.</summary>
    void Release(IGenerationState state);
}

/// <summary>One request's progress through the decode loop.</summary>
public interface IGenerationState
{
    /// <summary>Audio produced by the last step (empty when it produced none); valid until the next step.</summary>
    ReadOnlyMemory<float> PendingAudio { get; }

    /// <summary>True once the request has stopped (stop head, length cap).</summary>
    bool IsFinished { get; }

    int Steps { get; }

    int Attempts { get; }

    string StopReason { get; }

    /// <summary>Text segments spoken one after another (1 for short text).</summary>
    int Segments { get; }

    /// <summary>What the runaway guard noticed (a segment ended on silence or at its step cap, retries).</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Every guard intervention so far, in order; the scheduler counts new ones after each step.</summary>
    IReadOnlyList<GuardEvent> GuardEvents { get; }
}
