using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.Synthesis.TextStreaming;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.SignalR;

/// <summary>SynthesizeTextStream: text in as a client-to-server stream, Synthesize's items out.</summary>
public sealed class TextStreamHubTests(TextStreamHubFixture fixture) : IClassFixture<TextStreamHubFixture>, IAsyncLifetime
{
    private HubConnection? _connection;

    private HubConnection Connection => _connection!;

    public async Task InitializeAsync()
    {
        _connection = await fixture.Hub.ConnectSignalRAsync(messagePack: true);
    }

    public async Task DisposeAsync() => await Connection.DisposeAsync();

    [Fact]
    public async Task Words_streamed_one_by_one_come_back_as_one_gap_free_audio_stream_with_one_history_row()
    {
        var items = await CollectAsync(Words("Hello there. This is a test, spoken while it is written. Goodbye!"));

        Assert.Equal(StreamItemKind.Started, items.First(i => i.Kind != StreamItemKind.Queued).Kind);
        var audio = items.Where(i => i.Kind == StreamItemKind.Audio).ToList();
        Assert.NotEmpty(audio);
        Assert.Equal(Enumerable.Range(0, audio.Count), audio.Select(a => a.Sequence!.Value));
        var complete = items[^1];
        Assert.Equal(StreamItemKind.Complete, complete.Kind);
        Assert.Equal(3, complete.Summary!.Segments);
        Assert.Equal(audio.Sum(a => a.Audio!.Length / 2), complete.Summary.Samples);
        Assert.Single(items, i => i.Kind == StreamItemKind.Started);

        var id = complete.Summary.SynthesisId!.Value;
        var calls = await Eventually.MatchesAsync(() => Task.FromResult(fixture.Recorder.For(id)), c => c.Count == 3);
        Assert.Equal(["accepted:SignalR", "started", "completed"], calls);
        Assert.Equal(complete.Summary.Samples, fixture.Recorder.Completions[id].Audio.Length);
    }

    [Fact]
    public async Task Chinese_text_and_an_explicit_flush_are_spoken()
    {
        var items = await CollectAsync(Pieces("你好", "，世界", TtsHubMethods.TextStreamFlush, "今天天气很好。", "再见"));

        var complete = items[^1];
        Assert.Equal(StreamItemKind.Complete, complete.Kind);
        Assert.Equal(3, complete.Summary!.Segments);
    }

    [Fact]
    public async Task A_stream_never_ended_times_out_naming_the_setting_and_the_server_keeps_serving()
    {
        var text = Channel.CreateUnbounded<string>();
        text.Writer.TryWrite("Hello there. ");
        var items = await CollectAsync(text.Reader.ReadAllAsync());

        var error = items[^1];
        Assert.Equal(StreamItemKind.Error, error.Kind);
        Assert.Equal(ErrorCodes.Timeout, error.Error!.Code);
        Assert.Contains("TTS_TEXT_STREAM_IDLE_SECONDS", error.Error.Message, StringComparison.Ordinal);
        Assert.Contains(items, i => i.Kind == StreamItemKind.Audio); // what was written was spoken first
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task An_endless_text_stream_is_stopped_at_the_pending_or_total_limit()
    {
        var items = await CollectAsync(Endless("la la la, "));

        var error = items[^1];
        Assert.Equal(ErrorCodes.InvalidRequest, error.Error!.Code);
        Assert.Matches("TTS_TEXT_STREAM_MAX_(PENDING|CHARS)", error.Error.Message);
        Assert.Contains("field: text", error.Error.Message, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_flood_of_empty_appends_is_stopped_at_the_message_limit()
    {
        var items = await CollectAsync(Endless(""));

        var error = items[^1];
        Assert.Equal(ErrorCodes.InvalidRequest, error.Error!.Code);
        Assert.Contains($"more than {TextStreamHubFixture.MaxAppends} text messages", error.Error.Message, StringComparison.Ordinal);
        Assert.Contains("TTS_TEXT_STREAM_MAX_APPENDS", error.Error.Message, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_it_and_frees_the_server()
    {
        var text = Channel.CreateUnbounded<string>();
        text.Writer.TryWrite("This sentence is spoken. And this one is never finished because");
        using var cancel = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var audio = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.SynthesizeTextStream, new SynthesisRequest(), text.Reader.ReadAllAsync(), cancel.Token))
            {
                if (item.Kind == StreamItemKind.Audio && ++audio == 1)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        await Eventually.MatchesAsync(() => Connection.InvokeAsync<ServerStatus>(TtsHubMethods.GetStatus), s => s.ActiveStreams == 0);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_non_streaming_mode_is_refused_naming_the_field()
    {
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => CollectAsync(Words("Hi."), new SynthesisRequest { Mode = SynthesisMode.NonStreaming }));
        Assert.Contains("field: mode", refused.Message, StringComparison.Ordinal);
    }

    private async Task<List<SynthesisStreamItem>> CollectAsync(IAsyncEnumerable<string> text, SynthesisRequest? request = null)
    {
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var items = new List<SynthesisStreamItem>();
        await foreach (var item in Connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.SynthesizeTextStream, request ?? new SynthesisRequest { Seed = 3 }, text, timeout.Token))
        {
            items.Add(item);
        }

        return items;
    }

    private async Task AssertStillServesAsync()
    {
        var items = await CollectAsync(Words("Still here."));
        Assert.Equal(StreamItemKind.Complete, items[^1].Kind);
    }

    private static async IAsyncEnumerable<string> Words(string text)
    {
        foreach (var word in text.Split(' '))
        {
            await Task.Yield();
            yield return word + " ";
        }
    }

    private static async IAsyncEnumerable<string> Pieces(params string[] pieces)
    {
        foreach (var piece in pieces)
        {
            await Task.Yield();
            yield return piece;
        }
    }

    private static async IAsyncEnumerable<string> Endless(string piece, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // A hostile client that never stops writing, paced so it does not starve the 2-core test machine.
            await Task.Delay(1, cancellationToken);
            yield return piece;
        }
    }
}
