using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>A flood of requests on one connection, and a client that never reads its audio.</summary>
public sealed class RawTtsAbuseTests(AbuseHubFixture fixture, ITestOutputHelper output) : IClassFixture<AbuseHubFixture>
{
    private const int Flood = 10_000;

    [Fact]
    public async Task Ten_thousand_requests_on_one_connection_each_complete_or_are_refused_by_the_in_flight_limit()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var clock = Stopwatch.StartNew();

        var sending = Task.Run(
            async () =>
            {
                for (var i = 0; i < Flood; i++)
                {
                    var json = $"{{\"type\":\"tts_request\",\"request_id\":\"f{i}\",\"params\":{{\"text\":\"Flood {i}.\",\"inference_timesteps\":2}}}}";
                    await client.Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, deadline.Token);
                }
            },
            deadline.Token);

        var (completed, refused) = (new HashSet<string>(), new HashSet<string>());
        var otherCodes = new List<string>();
        while (completed.Count + refused.Count + otherCodes.Count < Flood)
        {
            var message = await client.ReceiveAsync().WaitAsync(deadline.Token);
            Assert.False(message.Closed, "the server closed the connection");
            switch (message.Type)
            {
                case "complete":
                    Assert.True(completed.Add(message.RequestId!), $"{message.RequestId} completed twice");
                    break;
                case "error" when message.ErrorCode == "too_many_requests":
                    Assert.True(refused.Add(message.RequestId!), $"{message.RequestId} refused twice");
                    Assert.Contains("the limit is 16", message.ErrorMessage, StringComparison.Ordinal);
                    break;
                case "error":
                    otherCodes.Add($"{message.RequestId}: {message}");
                    break;
            }
        }

        await sending;
        output.WriteLine($"{Flood} requests in {clock.Elapsed.TotalSeconds:0.0} s: {completed.Count} completed, {refused.Count} refused (too_many_requests)");
        Assert.Empty(otherCodes);
        Assert.Empty(completed.Intersect(refused));
        Assert.True(completed.Count >= 16, $"only {completed.Count} completed");
        Assert.Equal("pong", (await client.PingAsync())["type"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_client_that_never_reads_is_cut_off_after_the_send_buffer_timeout_while_another_client_is_served()
    {
        // A 4 KiB receive window: the kernel buffers little, so the hub's own send buffer fills.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(RawTtsClient.TtsUri(fixture.Hub.Api), invoker, CancellationToken.None).DefaultTimeout();

        // Requests with long texts, a few rounds, all sent up front (a few KiB: they fit the hub's receive window).
        var text = string.Join(' ', Enumerable.Repeat("Nobody reads this audio.", 30))[..ReadyHubFixture.MaxTextLength];
        for (var i = 0; i < 64; i++)
        {
            var json = $"{{\"type\":\"tts_request\",\"request_id\":\"s{i}\",\"params\":{{\"text\":\"{text}\",\"seed\":{i}}}}}";
            await stalled.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        }

        // While it stalls, another client is served normally.
        await using (var other = await RawTtsClient.ConnectAsync(fixture.Hub.Api))
        {
            await other.SendRequestAsync("other", new { text = "I read my audio." });
            Assert.Equal("complete", (await other.ReceiveUntilAsync("complete", "other"))[^1].Type);
        }

        await Eventually.MatchesAsync(() => Task.FromResult(fixture.Logs.Contains("RawTtsSlowReader")), seen => seen, TimeSpan.FromSeconds(60));

        // Now read: what the kernel held, then the end of the connection (the 1008 close, or the connection dropped
        // when the close frame could not get through the full pipe). A connection the hub never ends makes
        // ReceiveAsync throw OperationCanceledException at the deadline, which fails the test.
        var buffer = new byte[64 * 1024];
        using var drain = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        try
        {
            while ((await stalled.ReceiveAsync(buffer, drain.Token)).MessageType != WebSocketMessageType.Close)
            {
            }

            Assert.Equal(WebSocketCloseStatus.PolicyViolation, stalled.CloseStatus);
            Assert.Contains("send buffer", stalled.CloseStatusDescription, StringComparison.Ordinal);
            output.WriteLine($"ended with close {(int)stalled.CloseStatus!.Value}: {stalled.CloseStatusDescription}");
        }
        catch (WebSocketException e) when (!drain.IsCancellationRequested)
        {
            // The other accepted end: the close frame could not get through the full pipe, so the hub dropped the connection.
            Assert.Contains(e.WebSocketErrorCode, new[] { WebSocketError.ConnectionClosedPrematurely, WebSocketError.Faulted });
            output.WriteLine($"ended with the connection dropped: {e.Message}");
        }
    }
}
