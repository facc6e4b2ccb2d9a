using Microsoft.EntityFrameworkCore;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

/// <summary>
/// The real hub with the tiny model and the real history writer, its PostgreSQL reached through a loopback
/// forwarder that the test cuts while audio streams: the streams go on, new ones start and finish, and every
/// history row is written once the database is back. A client that vanishes mid-stream leaves a cancelled row.
/// </summary>
public sealed class DatabaseOutageDuringStreamingTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Streams_continue_while_postgres_is_cut_and_their_history_rows_appear_when_it_returns()
    {
        var port = TcpForwarder.FreePort();
        var (connection, target) = HistoryTestData.Through(database.ConnectionString, port);
        await using var forwarder = new TcpForwarder(port, target);
        await forwarder.StartAsync();
        await using var hub = await TestHub.StartAsync(TestSettings.With(connection, TinyFixtures.V05));
        await hub.WaitForReadyAsync();

        // Two connections, two long streams each; cut the database once audio flows.
        await using var first = await RawTtsClient.ConnectAsync(hub.Api);
        await using var second = await RawTtsClient.ConnectAsync(hub.Api);
        var text = string.Join(' ', Enumerable.Repeat("The database goes away while I am speaking.", 8));
        string[] before = ["a1", "a2"];
        foreach (var (client, id) in new[] { (first, before[0]), (second, before[1]) })
        {
            await client.SendRequestAsync(id, new { text, seed = 1 });
        }

        var firstMessages = await first.ReceiveUntilAsync("started", before[0]);
        var secondMessages = await second.ReceiveUntilAsync("started", before[1]);
        await forwarder.CutAsync();

        // The streams started before the cut finish; streams started during the outage finish too.
        var completes = new Dictionary<string, ServerMessage>
        {
            [before[0]] = (await first.ReceiveUntilAsync("complete", before[0]))[^1],
            [before[1]] = (await second.ReceiveUntilAsync("complete", before[1]))[^1],
        };
        for (var i = 0; i < 3; i++)
        {
            var id = $"during{i}";
            await first.SendRequestAsync(id, new { text = $"Spoken while the database is down, number {i}.", seed = i });
            var messages = await first.ReceiveUntilAsync("complete", id);
            Assert.DoesNotContain(messages, m => m.Type == "error");
            Assert.Contains(messages, m => m.Frame is { Samples.Length: > 0 });
            completes[id] = messages[^1];
        }

        Assert.All(completes.Values, complete => Assert.Equal("complete", complete.Type));
        var ids = completes.Values.Select(c => Guid.Parse(c.Json!["synthesis_id"]!.GetValue<string>())).ToList();
        var whileDown = await RowsAsync(ids);
        Assert.DoesNotContain(whileDown, row => ids[2..].Contains(row.Id) && row.Status == SynthesisStatus.Completed);

        await forwarder.StartAsync();
        var rows = await Eventually.MatchesAsync(
            () => RowsAsync(ids),
            rows => rows.Count == ids.Count && rows.All(r => r.Status == SynthesisStatus.Completed),
            TimeSpan.FromSeconds(60));
        Assert.All(rows, row => Assert.NotNull(row.Audio));
        Assert.Equal(
            completes.Values.Select(c => Math.Round(c.Json!["duration"]!.GetValue<double>(), 2)).Order(),
            rows.Select(r => Math.Round(r.AudioSeconds!.Value, 2)).Order());
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_leaves_a_cancelled_history_row_and_frees_its_slot()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString, TinyFixtures.V05));
        await hub.WaitForReadyAsync();
        var client = await RawTtsClient.ConnectAsync(hub.Api);
        // Text without sentence ends keeps the tiny model's stop head quiet, so the stream runs to its (long) step
        // cap: the hang-up lands mid-stream however fast the machine is (natural sentences could finish first).
        var text = new string('x', 1500);
        await client.SendRequestAsync("gone", new { text });
        while ((await client.ReceiveAsync()).Frame is null)
        {
        }

        client.Socket.Abort();
        client.Socket.Dispose();

        var row = await Eventually.MatchesAsync(
            async () =>
            {
                await using var db = HistoryTestData.Db(database.ConnectionString);
                return await db.Syntheses.AsNoTracking().SingleOrDefaultAsync(s => s.RequestId == "gone");
            },
            row => row?.Status == SynthesisStatus.Cancelled);
        Assert.Equal(text, row!.Text);

        // The slot is free: the next request on a new connection runs.
        await using var next = await RawTtsClient.ConnectAsync(hub.Api);
        await next.SendRequestAsync("next", new { text = "After the hang-up." });
        Assert.Equal("complete", (await next.ReceiveUntilAsync("complete", "next"))[^1].Type);
    }

    private async Task<List<Data.Entities.SynthesisRecord>> RowsAsync(List<Guid> ids)
    {
        await using var db = HistoryTestData.Db(database.ConnectionString);
        return await db.Syntheses.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync();
    }
}
