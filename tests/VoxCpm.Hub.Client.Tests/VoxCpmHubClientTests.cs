using System.Buffers.Binary;
using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Client.Tests;

/// <summary>The client library against the real hub over loopback, with MessagePack and with JSON.</summary>
public sealed class VoxCpmHubClientTests(HubServerFixture server) : IClassFixture<HubServerFixture>
{
    private static readonly SynthesisRequest s_hello = new() { Text = "Hello from the client library.", Seed = 11 };

    [Theory]
    [InlineData(HubProtocol.MessagePack)]
    [InlineData(HubProtocol.Json)]
    public async Task Chunks_arrive_in_order_and_add_up_to_the_summary(HubProtocol protocol)
    {
        await using var client = await ConnectAsync(protocol);
        var progress = new List<SynthesisStreamItem>();

        var session = client.SynthesizeAsync(s_hello, new SyncProgress(progress));
        var chunks = await ReadAllAsync(session);

        Assert.True(chunks.Count > 1);
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(chunk => chunk.Sequence));
        Assert.All(chunks, chunk => Assert.Equal(16_000, chunk.SampleRate));
        var completion = Assert.IsType<SynthesisCompletion>(session.Completion);
        Assert.Equal(completion.Samples, chunks.Sum(chunk => chunk.SampleCount));
        Assert.Equal(chunks.Count, completion.Chunks);
        Assert.NotNull(completion.SynthesisId);
        Assert.Contains(progress, item => item.Kind == StreamItemKind.Queued);
        Assert.Contains(progress, item => item.Kind == StreamItemKind.Started);
        Assert.Contains(progress, item => item.Kind == StreamItemKind.Progress);
    }

    [Fact]
    public async Task Both_protocols_give_the_same_audio_for_the_same_seed()
    {
        await using var messagePack = await ConnectAsync(HubProtocol.MessagePack);
        await using var json = await ConnectAsync(HubProtocol.Json);

        var a = await ReadAllAsync(messagePack.SynthesizeAsync(s_hello));
        var b = await ReadAllAsync(json.SynthesizeAsync(s_hello));

        Assert.Equal(a.SelectMany(c => c.Pcm16.ToArray()), b.SelectMany(c => c.Pcm16.ToArray()));
    }

    [Theory]
    [InlineData(HubProtocol.MessagePack)]
    [InlineData(HubProtocol.Json)]
    public async Task An_invalid_argument_is_a_HubException_naming_the_field_and_the_connection_stays_usable(HubProtocol protocol)
    {
        await using var client = await ConnectAsync(protocol);

        var refused = await Assert.ThrowsAsync<HubException>(() => ReadAllAsync(client.SynthesizeAsync(s_hello with { CfgValue = 12 })));
        var tooLong = await Assert.ThrowsAsync<HubException>(() => ReadAllAsync(client.SynthesizeAsync(s_hello with { Text = new string('a', 501) })));

        Assert.Contains("cfg_value", refused.Message, StringComparison.Ordinal);
        Assert.Contains("between 0.1 and 10", refused.Message, StringComparison.Ordinal);
        Assert.Contains("[invalid_request]", refused.Message, StringComparison.Ordinal);
        Assert.Contains("field: text", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("500 (TTS_MAX_TEXT_LENGTH)", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, client.State);
        Assert.NotEmpty(await ReadAllAsync(client.SynthesizeAsync(s_hello)));
    }

    [Fact]
    public async Task Cancelling_stops_the_synthesis_on_the_server()
    {
        await using var client = await ConnectAsync(HubProtocol.MessagePack);
        var cancelledBefore = server.Cancelled;
        using var cancel = new CancellationTokenSource();

        var reading = Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in client.SynthesizeAsync(new SynthesisRequest { Text = new string('x', 480), Seed = 3 }, cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });
        await reading.DefaultTimeout();

        await Eventually.MatchesAsync(() => Task.FromResult(server.Cancelled), count => count == cancelledBefore + 1, TimeSpan.FromSeconds(10));
        await Eventually.MatchesAsync(() => Task.FromResult(server.Scheduler.ActiveCount + server.Scheduler.QueueLength), count => count == 0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Sixteen_concurrent_streams_from_one_client_each_arrive_whole_and_in_order()
    {
        await using var client = await ConnectAsync(HubProtocol.MessagePack);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(async seed =>
        {
            var session = client.SynthesizeAsync(new SynthesisRequest { Text = $"Stream number {seed}.", Seed = seed });
            var chunks = await ReadAllAsync(session);
            return (Chunks: chunks, session.Completion);
        }));

        Assert.All(results, result =>
        {
            Assert.Equal(Enumerable.Range(0, result.Chunks.Count), result.Chunks.Select(chunk => chunk.Sequence));
            Assert.Equal(result.Completion!.Samples, result.Chunks.Sum(chunk => chunk.SampleCount));
            Assert.Single(result.Chunks.Select(chunk => chunk.RequestId).Distinct());
        });
        Assert.Equal(16, results.Select(result => result.Chunks[0].RequestId).Distinct().Count());
    }

    [Fact]
    public async Task WavFile_writes_a_pcm16_mono_file_of_all_the_chunks()
    {
        await using var client = await ConnectAsync(HubProtocol.MessagePack);
        var session = client.SynthesizeAsync(s_hello);

        var wav = await WavFile.ToBytesAsync(session).DefaultTimeout();

        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(wav.AsSpan(22)));
        Assert.Equal(16_000u, BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal((uint)(session.Completion!.Samples * 2), BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(40)));
        Assert.Equal(44 + (session.Completion.Samples * 2), wav.Length);
    }

    [Theory]
    [InlineData(HubProtocol.MessagePack)]
    [InlineData(HubProtocol.Json)]
    public async Task GetStatus_reports_the_loaded_model_its_inputs_the_request_limits_and_the_load(HubProtocol protocol)
    {
        await using var client = await ConnectAsync(protocol);

        var status = await client.GetStatusAsync().DefaultTimeout();

        Assert.Equal("loaded", status.ModelState);
        Assert.Equal(16_000, status.SampleRate);
        Assert.Equal("cpu", status.Device);
        Assert.Equal(10, status.MaxConcurrent);
        Assert.Equal("voxcpm", status.Architecture);
        Assert.False(status.VoxCpm2Inputs);
        // What the validator applies, the configured text limit (TTS_MAX_TEXT_LENGTH=500 here) included.
        Assert.Equal(new NumberRange { Min = SynthesisDefaults.MinCfgValue, Max = SynthesisDefaults.MaxCfgValue, Default = SynthesisDefaults.CfgValue }, status.Limits.CfgValue);
        Assert.Equal(new NumberRange { Min = SynthesisDefaults.MinInferenceTimesteps, Max = SynthesisDefaults.MaxInferenceTimesteps, Default = SynthesisDefaults.InferenceTimesteps }, status.Limits.InferenceTimesteps);
        Assert.Equal(500, status.Limits.MaxTextLength);
        Assert.Equal(SynthesisDefaults.MaxVoiceDescriptionLength, status.Limits.MaxVoiceDescriptionLength);
    }

    private async Task<VoxCpmHubClient> ConnectAsync(HubProtocol protocol)
    {
        var client = new VoxCpmHubClient(server.Url, new VoxCpmHubClientOptions { Protocol = protocol });
        await client.StartAsync().DefaultTimeout();
        return client;
    }

    private static async Task<List<AudioChunk>> ReadAllAsync(IAsyncEnumerable<AudioChunk> session)
    {
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in session.WithCancellation(timeout.Token))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    // Progress<T> posts to the thread pool; this reports inline so the list is complete when the stream ends.
    private sealed class SyncProgress(List<SynthesisStreamItem> items) : IProgress<SynthesisStreamItem>
    {
        public void Report(SynthesisStreamItem value)
        {
            lock (items)
            {
                items.Add(value);
            }
        }
    }
}
