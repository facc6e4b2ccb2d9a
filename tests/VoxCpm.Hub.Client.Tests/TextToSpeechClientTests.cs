using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Client.Tests;

/// <summary>Microsoft.Extensions.AI's ITextToSpeechClient and the text-stream method, against the real hub.</summary>
public sealed class TextToSpeechClientTests(HubServerFixture server) : IClassFixture<HubServerFixture>
{
    [Fact]
    public async Task Whole_audio_is_one_wav_naming_the_model_and_the_sample_rate()
    {
        await using var tts = await VoxCpmTextToSpeechClient.ConnectAsync(server.Url).DefaultTimeout();
        await AssertWholeAudioAsync(tts);
    }

    // Through the abstraction only, as an application that knows nothing of the hub would call it: the interface type is the point.
#pragma warning disable CA1859
    private static async Task AssertWholeAudioAsync(ITextToSpeechClient client)
#pragma warning restore CA1859
    {
        var response = await client.GetAudioAsync("Hello from the abstractions.", Seeded(5)).DefaultTimeout();

        var audio = Assert.IsType<DataContent>(Assert.Single(response.Contents));
        Assert.Equal("audio/wav", audio.MediaType);
        Assert.True(audio.Data.Length > WavWriter.HeaderSize);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(audio.Data.Span[..4]));
        Assert.Equal(16_000, response.AdditionalProperties![VoxCpmSpeechOptions.SampleRateProperty]);
        Assert.False(string.IsNullOrEmpty(response.ModelId));
        var metadata = Assert.IsType<TextToSpeechClientMetadata>(client.GetService(typeof(TextToSpeechClientMetadata)));
        Assert.Equal(response.ModelId, metadata.DefaultModelId);
        Assert.Equal("voxcpm-hub", metadata.ProviderName);
    }

    [Fact]
    public async Task Streamed_audio_is_the_same_audio_as_whole_audio_for_the_same_seed()
    {
        await using var tts = await VoxCpmTextToSpeechClient.ConnectAsync(server.Url).DefaultTimeout();
        const string text = "The same seed speaks the same way.";

        var whole = await tts.GetAudioAsync(text, new TextToSpeechOptions { AudioFormat = "pcm", AdditionalProperties = new() { ["seed"] = 9 } }).DefaultTimeout();
        var updates = await CollectAsync(tts.GetStreamingAudioAsync(text, Seeded(9)));

        Assert.Equal(TextToSpeechResponseUpdateKind.SessionClose, updates[^1].Kind);
        var streamed = updates.SelectMany(u => u.Contents.OfType<DataContent>()).SelectMany(d => d.Data.ToArray()).ToArray();
        Assert.All(updates.SkipLast(1), u => Assert.Equal("audio/pcm", u.Contents.OfType<DataContent>().Single().MediaType));
        Assert.Equal(((DataContent)whole.Contents[0]).Data.ToArray(), streamed);
    }

    [Fact]
    public async Task Options_the_hub_cannot_honour_are_refused_naming_them()
    {
        await using var tts = await VoxCpmTextToSpeechClient.ConnectAsync(server.Url).DefaultTimeout();

        var speed = await Assert.ThrowsAsync<ArgumentException>(() => tts.GetAudioAsync("Hi.", new TextToSpeechOptions { Speed = 1.5f }));
        var voice = await Assert.ThrowsAsync<ArgumentException>(() => tts.GetAudioAsync("Hi.", new TextToSpeechOptions { VoiceId = "alloy" }));
        var format = Assert.Throws<NotSupportedException>(() => tts.GetStreamingAudioAsync("Hi.", new TextToSpeechOptions { AudioFormat = "mp3" }));

        Assert.Contains("Speed", speed.Message, StringComparison.Ordinal);
        Assert.Contains("VoiceId", voice.Message, StringComparison.Ordinal);
        Assert.Contains("AudioFormat", format.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timed_word_stream_is_spoken_as_one_gap_free_audio_stream()
    {
        await using var tts = await VoxCpmTextToSpeechClient.ConnectAsync(server.Url).DefaultTimeout();

        var updates = await CollectAsync(tts.GetStreamingAudioAsync(WordsAsync("An agent speaks while it thinks. Every phrase continues the voice, like this one.", TimeSpan.FromMilliseconds(10)), Seeded(3)));

        var chunks = updates.Select(u => u.RawRepresentation).OfType<AudioChunk>().ToList();
        Assert.NotEmpty(chunks);
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Sequence));
        var close = updates[^1];
        Assert.Equal(TextToSpeechResponseUpdateKind.SessionClose, close.Kind);
        Assert.Equal(3, close.AdditionalProperties!["segments"]); // two sentences, the second cut at its comma
        Assert.Equal(chunks.Sum(c => c.SampleCount), (long)((double)close.AdditionalProperties["duration"]! * 16_000 + 0.5));
    }

    [Fact]
    public async Task The_hub_client_speaks_a_text_stream_as_audio_chunks()
    {
        await using var hub = new VoxCpmHubClient(server.Url);
        await hub.StartAsync().DefaultTimeout();

        var session = hub.SynthesizeTextStreamAsync(WordsAsync("你好，世界。今天天气很好。", TimeSpan.Zero), new SynthesisRequest { Seed = 1 });
        var chunks = new List<AudioChunk>();
        await foreach (var chunk in session.WithCancellation(new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan).Token))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(2, session.Completion!.Segments);
        Assert.Equal(session.Completion.Samples, chunks.Sum(c => c.SampleCount));
    }

    private static TextToSpeechOptions Seeded(int seed) => new() { AdditionalProperties = new() { ["seed"] = seed } };

    private static async Task<List<TextToSpeechResponseUpdate>> CollectAsync(IAsyncEnumerable<TextToSpeechResponseUpdate> updates)
    {
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var list = new List<TextToSpeechResponseUpdate>();
        await foreach (var update in updates.WithCancellation(timeout.Token))
        {
            list.Add(update);
        }

        return list;
    }

    private static async IAsyncEnumerable<string> WordsAsync(string text, TimeSpan gap, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var words = text.Contains(' ', StringComparison.Ordinal) ? text.Split(' ').Select(w => w + " ") : text.Select(c => c.ToString());
        foreach (var word in words)
        {
            // The gap is the behaviour under test: a writer (a person, an LLM) whose words arrive over time.
            await Task.Delay(gap, cancellationToken);
            yield return word;
        }
    }
}
