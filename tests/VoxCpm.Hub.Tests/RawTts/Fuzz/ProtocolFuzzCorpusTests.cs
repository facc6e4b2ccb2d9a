using System.Net.WebSockets;
using System.Reflection;
using VoxCpm.Hub.Contracts;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Hub.Tests.RawTts.Fuzz;

/// <summary>
/// Replays every fuzz case (<see cref="FuzzCorpus"/>) against a real hub: each gets a clear answer (an error with a
/// known code, never internal_error; or a normal answer) and keeps its connection, or is closed with one of the
/// close codes the case allows; afterwards a new connection is served normally. Managed memory stays bounded over
/// repeated runs of the whole corpus.
/// </summary>
public sealed class ProtocolFuzzCorpusTests(ReadyHubFixture fixture, ITestOutputHelper output) : IClassFixture<ReadyHubFixture>
{
    private static readonly HashSet<string> KnownCodes = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (string)field.GetValue(null)!)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> StreamTypes = new(["queued", "started", "progress"], StringComparer.Ordinal);

    public static IEnumerable<object[]> Cases => FuzzCorpus.Names;

    [Fact]
    public void The_corpus_covers_every_kind_of_hostile_input()
    {
        string[] kinds = ["file:", "wrong-type:", "raw:", "nesting:", "huge:", "binary:", "mutation:", "random-bytes:"];

        Assert.All(kinds, kind => Assert.Contains(FuzzCorpus.All, c => c.Name.StartsWith(kind, StringComparison.Ordinal)));
        Assert.True(FuzzCorpus.All.Count > 150, $"{FuzzCorpus.All.Count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_message_gets_a_clear_answer_or_a_bounded_close_and_the_server_keeps_serving(string name)
    {
        await ReplayAsync(fixture.Hub.Api, FuzzCorpus.Get(name));

        await using var next = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        await next.SendRequestAsync("after", new { text = "Still serving." });
        Assert.Equal("complete", (await next.ReceiveUntilAsync("complete", "after"))[^1].Type);
    }

    [Fact]
    public async Task Replaying_the_whole_corpus_keeps_managed_memory_bounded()
    {
        await ReplayAllAsync();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var pass = 0; pass < 2; pass++)
        {
            await ReplayAllAsync();
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed memory after one warm-up pass: {before / 1024} KiB; after two more passes of {FuzzCorpus.All.Count} cases: {after / 1024} KiB");
        // Loose: two passes of ~170 cases (several of 64 KiB to 1 MiB) must not leave their buffers behind.
        Assert.True(after - before < 48L * 1024 * 1024, $"managed memory grew from {before / 1024} KiB to {after / 1024} KiB");
    }

    private async Task ReplayAllAsync()
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fuzz in FuzzCorpus.All)
        {
            var outcome = await ReplayAsync(fixture.Hub.Api, fuzz);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key}: {o.Value}")));
    }

    /// <summary>Sends the case, reads its answer, then checks the connection with a ping; returns what happened.</summary>
    internal static async Task<string> ReplayAsync(HttpClient api, FuzzCase fuzz)
    {
        await using var client = await RawTtsClient.ConnectAsync(api);
        try
        {
            await client.Socket.SendAsync(fuzz.Payload, fuzz.Type, endOfMessage: true, CancellationToken.None).DefaultTimeout();
            var answer = await ReadAnswerAsync(client, fuzz);
            if (answer.Closed)
            {
                return Closed(client, fuzz);
            }

            await client.SendAsync(new { type = "ping", timestamp = "after-fuzz" });
            var pong = await ReadAnswerAsync(client, fuzz);
            if (pong.Closed)
            {
                return Closed(client, fuzz);
            }

            Assert.Equal("pong", pong.Type);
            return answer.Type == "error" ? $"error {answer.ErrorCode}" : answer.Type!;
        }
        catch (WebSocketException) when (fuzz.AllowedCloses.Length > 0)
        {
            // The server closed while the client was still sending or before the close handshake finished (e.g.
            // a 1 MiB frame: the server stops reading after 64 KiB and closes).
            return "aborted";
        }
    }

    /// <summary>Messages until a final one (error, complete, pong) or the close; every message on the way must be a known kind.</summary>
    private static async Task<ServerMessage> ReadAnswerAsync(RawTtsClient client, FuzzCase fuzz)
    {
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (message.Closed || message.Type is "complete" or "pong")
            {
                return message;
            }

            if (message.Type == "error")
            {
                Assert.True(KnownCodes.Contains(message.ErrorCode!), $"{fuzz}: unknown error code in {message}");
                Assert.NotEqual(ErrorCodes.InternalError, message.ErrorCode);
                Assert.False(string.IsNullOrWhiteSpace(message.ErrorMessage), $"{fuzz}: empty error message");
                return message;
            }

            Assert.True(message.Frame is not null || StreamTypes.Contains(message.Type!), $"{fuzz}: unexpected {message}");
        }
    }

    private static string Closed(RawTtsClient client, FuzzCase fuzz)
    {
        var status = client.Socket.CloseStatus;
        Assert.True(status is { } code && fuzz.AllowedCloses.Contains(code), $"{fuzz}: closed with {status} ({client.Socket.CloseStatusDescription}); allowed: {string.Join(", ", fuzz.AllowedCloses)}");
        return $"close {(int)status!.Value}";
    }
}
