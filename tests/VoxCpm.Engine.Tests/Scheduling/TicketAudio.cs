using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Tests.Scheduling;

/// <summary>Everything a finished ticket delivered: its audio in order, the size of each chunk, and its summary.</summary>
internal sealed record TicketAudio(float[] Audio, IReadOnlyList<int> ChunkSizes, SynthesisSummary Summary)
{
    /// <summary>Reads the ticket to its end; a failed request fails the test with its code and message.</summary>
    public static async Task<TicketAudio> CollectAsync(SynthesisTicket ticket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var audio = new List<float>();
        var chunkSizes = new List<int>();
        SynthesisSummary? summary = null;
        await foreach (var e in ticket.Events.ReadAllAsync(cts.Token))
        {
            switch (e)
            {
                case AudioChunkEvent chunk:
                    audio.AddRange(chunk.Samples.ToArray());
                    chunkSizes.Add(chunk.Samples.Length);
                    break;
                case CompletedEvent done:
                    summary = done.Summary;
                    break;
                case FailedEvent failed:
                    Assert.Fail($"{failed.Code}: {failed.Message}");
                    break;
            }
        }

        return new TicketAudio(audio.ToArray(), chunkSizes, summary ?? throw new InvalidOperationException("the ticket ended without completing"));
    }
}
