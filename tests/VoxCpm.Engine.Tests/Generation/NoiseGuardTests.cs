using System.Diagnostics.Metrics;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Engine.Tests.Scheduling;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>The runaway guard's noise check on the tiny v05 model, with the audio source turned noisy by a test double.</summary>
public sealed class NoiseGuardTests : IAsyncLifetime
{
    private const string Text = "The guard listens to every patch while the model speaks, and it stops a voice that turns into hiss.";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly List<(string Kind, string Action)> _guardEvents = [];
    private readonly MeterListener _listener = new();
    private VoxCpmEngine _engine = null!;

    public Task InitializeAsync()
    {
        _engine = VoxCpmEngine.Load(TinyFixtures.Checkpoint("v05"), new EngineOptions { IntraOpThreads = 1, Scheduler = new SchedulerOptions { MaxConcurrent = 2, QueueLimit = 8 } });
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineMeters.Scheduler && instrument.Name == "voxcpm_guard_events_total")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string kind = "", action = "";
            foreach (var tag in tags)
            {
                kind = tag.Key == "kind" ? (string)tag.Value! : kind;
                action = tag.Key == "action" ? (string)tag.Value! : action;
            }

            lock (_guardEvents)
            {
                _guardEvents.Add((kind, action));
            }
        });
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task A_segment_that_turns_into_noise_is_regenerated_and_the_retry_is_counted()
    {
        var vae = NoisyVae();
        vae.NoisyDecodesLeft = 1; // the first attempt is noisy, the retry clean
        var (audio, summary) = await RunAsync(vae, LongEnough() with { Streaming = false });

        Assert.Equal(2, summary.Attempts);
        Assert.Contains(summary.Warnings!, w => w.Contains("turned into noise; retried", StringComparison.Ordinal));
        Assert.NotEqual("noise", summary.StopReason);
        Assert.True(audio.Length >= 40 * _engine.Config.PatchSamples, "the clean retry is kept whole");
        Assert.Contains((GuardEvent.Noise, GuardEvent.Retry), GuardEvents());
    }

    [Fact]
    public async Task Noise_that_survives_every_retry_is_cut_where_it_began_with_a_warning()
    {
        var vae = NoisyVae();
        var request = LongEnough() with { Streaming = false };
        var (audio, summary) = await RunAsync(vae, request);

        Assert.Equal(request.RetryBadcaseMaxTimes, summary.Attempts);
        Assert.Equal("noise", summary.StopReason);
        Assert.Contains(summary.Warnings!, w => w.Contains("turned into noise", StringComparison.Ordinal) && w.Contains("cut at", StringComparison.Ordinal));
        Assert.Equal(vae.CleanPatches * _engine.Config.PatchSamples, audio.Length);
        Assert.Contains((GuardEvent.Noise, GuardEvent.End), GuardEvents());
    }

    [Fact]
    public async Task A_stream_that_turns_into_noise_ends_after_a_second_of_it()
    {
        var vae = NoisyVae();
        var (audio, summary) = await RunAsync(vae, LongEnough());

        int patch = _engine.Config.PatchSamples;
        int limit = (int)Math.Ceiling(1.0 * _engine.SampleRate / patch);
        Assert.Equal("noise", summary.StopReason);
        Assert.Equal(1, summary.Attempts);
        Assert.Contains(summary.Warnings!, w => w.Contains("s of noise", StringComparison.Ordinal));
        Assert.Equal((vae.CleanPatches + limit) * patch, audio.Length);
        Assert.Contains((GuardEvent.Noise, GuardEvent.End), GuardEvents());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_tiny_models_own_audio_never_trips_the_noise_guard(bool streaming)
    {
        string[] texts =
        [
            "Hello world, this is a voice test.",
            "今天天气很好，我们一起去公园散步。你觉得怎么样？",
            "The quick brown fox jumps over the lazy dog. Mr. Smith paid $3.50, e.g. for coffee; then he left!",
        ];
        foreach (string text in texts)
        {
            for (int seed = 0; seed < 4; seed++)
            {
                var result = await RunOnEngineAsync(new GenerationRequest { Text = text, Seed = seed, Streaming = streaming });
                Assert.NotEqual("noise", result.StopReason);
                Assert.DoesNotContain(result.Warnings!, w => w.Contains("noise", StringComparison.Ordinal));
            }
        }
    }

    private static GenerationRequest LongEnough() =>
        new() { Text = Text, Seed = 4, MinLength = 45, MaxLength = 50, SilenceGuard = false };

    private NoisyAudioVae NoisyVae() => new(new OnnxAudioVae(_engine.AudioVae, 2), _engine.Config.PatchSamples);

    private List<(string Kind, string Action)> GuardEvents()
    {
        lock (_guardEvents)
        {
            return [.. _guardEvents];
        }
    }

    private async Task<(float[] Audio, SynthesisSummary Summary)> RunAsync(NoisyAudioVae vae, GenerationRequest request)
    {
        using var generator = new VoxCpmGenerator(_engine.Modules, vae, new TokenizerFrontEnd(_engine.Tokenizer), StreamingDecodeMode.Exact);
        await using var scheduler = new InferenceScheduler<GenerationRequest>(generator, new SchedulerOptions { MaxConcurrent = 1, QueueLimit = 1 });
        return await CollectAsync(scheduler.Submit(request));
    }

    private async Task<SynthesisSummary> RunOnEngineAsync(GenerationRequest request) => (await CollectAsync(_engine.Scheduler.Submit(request))).Summary;

    private static async Task<(float[] Audio, SynthesisSummary Summary)> CollectAsync(SynthesisTicket ticket)
    {
        var result = await TicketAudio.CollectAsync(ticket, Timeout);
        return (result.Audio, result.Summary);
    }
}
