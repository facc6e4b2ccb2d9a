using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Tests.Scheduling;

internal static class TicketEvents
{
    /// <summary>Every event of a ticket, in order, until its channel completes (or the timeout fails the test).</summary>
    public static async Task<List<SynthesisEvent>> ReadAllAsync(SynthesisTicket ticket, TimeSpan timeout)
    {
        var events = new List<SynthesisEvent>();
        using var cts = new CancellationTokenSource(timeout);
        await foreach (var e in ticket.Events.ReadAllAsync(cts.Token))
        {
            events.Add(e);
        }

        return events;
    }
}
