using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Synthesis;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests;

internal static class SynthesisEvents
{
    /// <summary>Every event of a run until it ends, bounded by the default timeout.</summary>
    public static async Task<List<SynthesisEvent>> ReadAllAsync(this SynthesisRun run)
    {
        var events = new List<SynthesisEvent>();
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        await foreach (var e in run.Events.ReadAllAsync(timeout.Token))
        {
            events.Add(e);
        }

        return events;
    }

    public static float[] Audio(this IEnumerable<SynthesisEvent> events) =>
        [.. events.OfType<AudioChunkEvent>().SelectMany(chunk => chunk.Samples.ToArray())];
}
