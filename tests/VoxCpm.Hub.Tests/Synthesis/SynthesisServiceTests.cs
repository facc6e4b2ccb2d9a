using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Synthesis;

/// <summary>The one synthesis path, on the real host with the tiny model.</summary>
public sealed class SynthesisServiceTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>
{
    private static readonly SynthesisRequest s_hello = new() { Text = "Hello, this is a test!", Seed = 42 };

    [Fact]
    public async Task A_streaming_run_is_queued_started_streamed_in_sequence_and_completed_and_a_seed_repeats_it()
    {
        var run = await StartAsync(s_hello);
        var events = await run.ReadAllAsync();

        Assert.IsType<QueuedEvent>(events[0]);
        Assert.Single(events.OfType<StartedEvent>());
        var chunks = events.OfType<AudioChunkEvent>().ToList();
        Assert.True(chunks.Count > 1, $"streaming gave {chunks.Count} chunk(s)");
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(chunk => chunk.Sequence));
        Assert.All(chunks, chunk => Assert.Equal(16_000, chunk.SampleRate));
        var completed = Assert.IsType<CompletedEvent>(events[^1]);
        Assert.Equal(completed.Summary.Samples, chunks.Sum(chunk => chunk.Samples.Length));
        Assert.Equal(16_000, run.SampleRate);

        var again = await (await StartAsync(s_hello)).ReadAllAsync();
        Assert.Equal(events.Audio(), again.Audio());
    }

    [Fact]
    public async Task History_is_told_about_acceptance_start_and_completion_with_the_whole_audio()
    {
        var run = await StartAsync(s_hello with { Seed = 7 });
        var events = await run.ReadAllAsync();

        var calls = await Eventually.MatchesAsync(() => Task.FromResult(fixture.Recorder.For(run.SynthesisId)), c => c.Count == 3);
        Assert.Equal(["accepted:Http", "started", "completed"], calls);
        Assert.Equal(events.Audio(), fixture.Recorder.Completions[run.SynthesisId].Audio);
    }

    [Fact]
    public async Task A_non_streaming_run_delivers_the_whole_audio_when_it_completes()
    {
        var streamed = await (await StartAsync(s_hello with { Seed = 3 })).ReadAllAsync();
        var whole = await (await StartAsync(s_hello with { Seed = 3, Mode = SynthesisMode.NonStreaming, RetryBadcase = false })).ReadAllAsync();

        var completed = Assert.IsType<CompletedEvent>(whole[^1]);
        Assert.Equal(completed.Summary.Samples, whole.Audio().Length);
        Assert.NotEmpty(whole.Audio());
        Assert.True(whole.OfType<AudioChunkEvent>().Count() < streamed.OfType<AudioChunkEvent>().Count());
    }

    [Theory]
    [InlineData("text", "the limit is 500 (TTS_MAX_TEXT_LENGTH)")]
    [InlineData("cfg_value", "between 0.1 and 10 (got 12)")]
    [InlineData("inference_timesteps", "between 1 and 50 (got 0)")]
    [InlineData("prompt_text", "required with prompt_wav_url")]
    public async Task Invalid_requests_are_refused_naming_the_field_and_the_limit(string field, string message)
    {
        var request = field switch
        {
            "text" => s_hello with { Text = new string('a', ReadyHubFixture.MaxTextLength + 1) },
            "cfg_value" => s_hello with { CfgValue = 12 },
            "inference_timesteps" => s_hello with { InferenceTimesteps = 0 },
            _ => s_hello with { PromptWavUrl = "http://127.0.0.1/voice.wav" },
        };

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => StartAsync(request));

        Assert.Equal(ErrorCodes.InvalidRequest, refused.Code);
        Assert.Equal(field, refused.Field);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_voice_id_is_not_found_naming_the_field()
    {
        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => StartAsync(s_hello with { VoiceId = Guid.NewGuid() }));

        Assert.Equal("voice_id", refused.Field);
        Assert.Equal(ErrorCodes.NotFound, refused.Code);
    }

    [Fact]
    public async Task A_prompt_url_clones_the_voice_and_unusable_audio_is_prompt_audio_invalid()
    {
        await using var server = await PromptAudioServer.StartAsync();
        var cloned = s_hello with { PromptWavUrl = server.Url("/voice.wav").ToString(), PromptText = "A tone." };

        var events = await (await StartAsync(cloned)).ReadAllAsync();
        var plain = await (await StartAsync(s_hello)).ReadAllAsync();

        Assert.IsType<CompletedEvent>(events[^1]);
        Assert.NotEqual(plain.Audio(), events.Audio());
        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => StartAsync(cloned with { PromptWavUrl = server.Url("/big").ToString() }));
        Assert.Equal(ErrorCodes.PromptAudioInvalid, refused.Code);
        Assert.Equal("prompt_wav_url", refused.Field);
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData("opus")]
    [InlineData("flac")]
    [InlineData("aac")]
    public async Task A_prompt_url_in_another_format_clones_the_same_voice_as_its_wav(string format)
    {
        await using var server = await PromptAudioServer.StartAsync();
        var fromWav = s_hello with { PromptWavUrl = server.Url("/voice.wav").ToString(), PromptText = "A tone.", Seed = 5 };
        var fromOther = fromWav with { PromptWavUrl = server.Url($"/voice-as/{format}.wav").ToString() };

        var other = await (await StartAsync(fromOther)).ReadAllAsync();
        var plain = await (await StartAsync(s_hello with { Seed = 5 })).ReadAllAsync();

        Assert.IsType<CompletedEvent>(other[^1]);
        Assert.NotEqual(plain.Audio(), other.Audio());
        var cut = await Assert.ThrowsAsync<SynthesisRejectedException>(() => StartAsync(fromWav with { PromptWavUrl = server.Url($"/cut-as/{format}.wav").ToString() }));
        Assert.Equal(ErrorCodes.PromptAudioInvalid, cut.Code);
        Assert.Equal("prompt_wav_url", cut.Field);
    }

    [Fact]
    public async Task Cancelling_the_token_ends_the_run_as_cancelled_and_frees_the_slot()
    {
        using var cancel = new CancellationTokenSource();
        var run = await fixture.Synthesis.StartAsync(new SynthesisRequest { Text = new string('x', 400), Seed = 1 }, Context(), cancel.Token);
        var first = await run.Events.ReadAsync().AsTask().DefaultTimeout();
        while (first is not AudioChunkEvent)
        {
            first = await run.Events.ReadAsync().AsTask().DefaultTimeout();
        }

        await cancel.CancelAsync();
        var rest = await run.ReadAllAsync();

        var failed = Assert.IsType<FailedEvent>(rest[^1]);
        Assert.Equal(ErrorCodes.Cancelled, failed.Code);
        await Eventually.MatchesAsync(() => Task.FromResult(fixture.Recorder.For(run.SynthesisId)), calls => calls.Contains("failed:cancelled"));
    }

    private Task<SynthesisRun> StartAsync(SynthesisRequest request) =>
        fixture.Synthesis.StartAsync(request, Context(), CancellationToken.None).DefaultTimeout();

    private static SynthesisContext Context() => new(EntryPoint.Http, Guid.NewGuid().ToString("N"));
}
