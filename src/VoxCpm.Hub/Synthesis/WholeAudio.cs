using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Hub.Synthesis;

/// <summary>A run read to its end: the whole audio and its summary, or the failure that ended it.</summary>
internal sealed record WholeAudio(ReadOnlyMemory<float> Samples, int SampleRate, SynthesisSummary? Summary, FailedEvent? Failure)
{
    /// <summary>
    /// Reads every event of <paramref name="run"/> (<see cref="SynthesisEvents.DispatchAllAsync"/>): a cancelled run
    /// still ends with the scheduler's own <c>cancelled</c> failure, so the caller learns how it ended.
    /// <paramref name="progress"/> sees the queued and started events as they come, for transports that report them
    /// while they wait.
    /// </summary>
    public static async Task<WholeAudio> CollectAsync(SynthesisRun run, ISynthesisEventHandler? progress = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var collector = new Collector(run.SampleRate, progress);
        await SynthesisEvents.DispatchAllAsync(run.Events, collector);
        return collector.Result!;
    }

    /// <summary>The audio as a PCM16 mono WAV file.</summary>
    public byte[] ToWav() => WavWriter.ToWavBytes(Samples.Span, SampleRate);

    private sealed class Collector(int sampleRate, ISynthesisEventHandler? progress) : ISynthesisEventHandler
    {
        private readonly AudioAccumulator _audio = new();

        public WholeAudio? Result { get; private set; }

        public ValueTask OnQueuedAsync(QueuedEvent queued) => progress?.OnQueuedAsync(queued) ?? default;

        public ValueTask OnStartedAsync(StartedEvent started) => progress?.OnStartedAsync(started) ?? default;

        public ValueTask OnAudioAsync(AudioChunkEvent chunk, bool completesNext)
        {
            _audio.Append(chunk.Samples.Span);
            return default;
        }

        public ValueTask OnCompletedAsync(CompletedEvent completed)
        {
            Result = new(_audio.Detach(), sampleRate > 0 ? sampleRate : completed.Summary.SampleRate, completed.Summary, null);
            return default;
        }

        public ValueTask OnFailedAsync(FailedEvent failed)
        {
            Result = new(ReadOnlyMemory<float>.Empty, sampleRate, null, failed);
            return default;
        }
    }
}
