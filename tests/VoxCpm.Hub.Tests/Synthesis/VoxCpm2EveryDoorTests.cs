using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Synthesis;

/// <summary>
/// Every VoxCPM2 way to choose a voice, through every door of a hub on the tiny VoxCPM2 checkpoint: each comes back
/// as 48 kHz audio, and each voice input reaches the model (the audio differs from the model's own voice with the
/// same seed, through the same door).
/// </summary>
public sealed class VoxCpm2EveryDoorTests(VoxCpm2EveryDoorTests.Fixture fixture) : IClassFixture<VoxCpm2EveryDoorTests.Fixture>
{
    private const int Seed = 11;
    private const string Text = "Hello there.";

    public static TheoryData<VoiceMode> Modes => [VoiceMode.ZeroShot, VoiceMode.VoiceDesign, VoiceMode.ReferenceOnly, VoiceMode.StyledReference, VoiceMode.Continuation, VoiceMode.ReferenceAndContinuation];

    /// <summary>OpenAI's request names one voice, and a saved voice is either a prompt or reference audio: every mode but the two together.</summary>
    public static TheoryData<VoiceMode> OpenAiModes => [VoiceMode.ZeroShot, VoiceMode.VoiceDesign, VoiceMode.ReferenceOnly, VoiceMode.StyledReference, VoiceMode.Continuation];

    /// <summary>The seed's ways (text only) and VoxCPM2's: voice design, controllable cloning (with and without a style), ultimate cloning.</summary>
    public enum VoiceMode
    {
        ZeroShot,
        VoiceDesign,
        ReferenceOnly,
        StyledReference,
        Continuation,
        ReferenceAndContinuation,
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task The_raw_websocket_streams_each_mode_at_48_kHz(VoiceMode mode)
    {
        await AssertVoiceReachesTheModelAsync(mode, RawAsync);

        async Task<short[]> RawAsync(VoiceMode m)
        {
            await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
            var parameters = new Dictionary<string, object?> { ["text"] = Text, ["seed"] = Seed };
            foreach (var (field, value) in Fields(m, snakeCase: true))
            {
                parameters[field] = value;
            }

            await client.SendRequestAsync("v2", parameters);
            var messages = await client.ReceiveUntilAsync("complete", "v2");
            var frames = messages.Select(message => message.Frame).OfType<AudioFrame>().ToList();
            Assert.All(frames, frame => Assert.Equal(48_000, frame.Metadata["sample_rate"]!.GetValue<int>()));
            return [.. frames.SelectMany(frame => frame.Samples)];
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SignalR_streams_each_mode_at_48_kHz(VoiceMode mode)
    {
        await using var connection = await fixture.Hub.ConnectSignalRAsync(messagePack: true);

        await AssertVoiceReachesTheModelAsync(mode, m => AudioOfAsync(
            timeout => connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, ToRequest(m), timeout), sampleRate: 48_000));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_SignalR_text_stream_speaks_every_piece_in_each_mode(VoiceMode mode)
    {
        await using var connection = await fixture.Hub.ConnectSignalRAsync(messagePack: true);

        // Each phrase is its own piece: the voice (description, reference, prompt) must reach every one of them.
        await AssertVoiceReachesTheModelAsync(mode, m => AudioOfAsync(
            timeout => connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.SynthesizeTextStream, ToRequest(m) with { Text = "" }, Phrases(), timeout)));

        static async IAsyncEnumerable<string> Phrases()
        {
            await Task.Yield();
            yield return Text + " ";
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Api_tts_answers_each_mode_with_a_48_kHz_wav(VoiceMode mode)
    {
        await AssertVoiceReachesTheModelAsync(mode, async m =>
        {
            using var response = await fixture.Hub.Api.PostAsJsonAsync("/api/tts", Body(m)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return Wav48k(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
        });
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_job_completes_each_mode_with_a_48_kHz_wav(VoiceMode mode)
    {
        await AssertVoiceReachesTheModelAsync(mode, async m =>
        {
            using var response = await fixture.Hub.Api.PostAsJsonAsync("/api/jobs", Body(m)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("job_id").GetString()!;
            var status = await Eventually.MatchesAsync(
                async () => (await fixture.Hub.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative))).GetProperty("status").GetString(),
                state => state is "completed" or "failed" or "cancelled");
            Assert.Equal("completed", status);
            return Wav48k(await fixture.Hub.Api.GetByteArrayAsync(new Uri($"/api/jobs/{jobId}/audio", UriKind.Relative)).DefaultTimeout());
        });
    }

    [Theory]
    [MemberData(nameof(OpenAiModes))]
    public async Task Openai_speech_reaches_each_mode_through_instructions_and_saved_voices(VoiceMode mode)
    {
        await AssertVoiceReachesTheModelAsync(mode, async m =>
        {
            var voice = m switch
            {
                VoiceMode.ReferenceOnly or VoiceMode.StyledReference => await fixture.SavedVoiceAsync(transcript: null),
                VoiceMode.Continuation => await fixture.SavedVoiceAsync(transcript: "a quiet tone"),
                _ => "alloy",
            };
            var instructions = m is VoiceMode.VoiceDesign or VoiceMode.StyledReference ? Description : null;
            using var response = await fixture.Hub.Api.PostAsJsonAsync(
                "/v1/audio/speech",
                new { model = "tts-1", input = Text, voice, instructions, response_format = "wav", seed = Seed }).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("48000", response.Headers.GetValues("X-Sample-Rate").Single());
            return Wav48k(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
        });
    }

    [Fact]
    public async Task A_voice_saved_from_reference_audio_alone_is_listed_without_a_transcript()
    {
        var id = await fixture.SavedVoiceAsync(transcript: null);

        var voice = await fixture.Hub.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/voices/{id}", UriKind.Relative)).DefaultTimeout();

        Assert.Equal(JsonValueKind.Null, voice.GetProperty("transcript").ValueKind);
    }

    private const string Description = "a calm, low voice";

    private static async Task AssertVoiceReachesTheModelAsync(VoiceMode mode, Func<VoiceMode, Task<short[]>> synthesize)
    {
        var audio = await synthesize(mode);
        Assert.NotEmpty(audio);
        if (mode != VoiceMode.ZeroShot)
        {
            var ownVoice = await synthesize(VoiceMode.ZeroShot);
            Assert.NotEqual(ownVoice, audio);
        }
    }

    private IEnumerable<(string Field, string Value)> Fields(VoiceMode mode, bool snakeCase)
    {
        string Name(string snake, string camel) => snakeCase ? snake : camel;
        var reference = fixture.Audio.Url("/voice.wav").ToString();
        var prompt = fixture.Audio.Url("/voice-as/opus.wav").ToString();
        if (mode is VoiceMode.VoiceDesign or VoiceMode.StyledReference)
        {
            yield return (Name("voice_description", "voiceDescription"), Description);
        }

        if (mode is VoiceMode.ReferenceOnly or VoiceMode.StyledReference or VoiceMode.ReferenceAndContinuation)
        {
            yield return (Name("reference_wav_url", "referenceWavUrl"), reference);
        }

        if (mode is VoiceMode.Continuation or VoiceMode.ReferenceAndContinuation)
        {
            yield return (Name("prompt_wav_url", "promptWavUrl"), prompt);
            yield return (Name("prompt_text", "promptText"), "a quiet tone");
        }
    }

    private SynthesisRequest ToRequest(VoiceMode mode)
    {
        var request = new SynthesisRequest { Text = Text, Seed = Seed };
        foreach (var (field, value) in Fields(mode, snakeCase: false))
        {
            request = field switch
            {
                "voiceDescription" => request with { VoiceDescription = value },
                "referenceWavUrl" => request with { ReferenceWavUrl = value },
                "promptWavUrl" => request with { PromptWavUrl = value },
                _ => request with { PromptText = value },
            };
        }

        return request;
    }

    // POST /api/tts and /api/jobs spell the fields as the raw protocol does.
    private Dictionary<string, object?> Body(VoiceMode mode)
    {
        var body = new Dictionary<string, object?> { ["text"] = Text, ["seed"] = Seed };
        foreach (var (field, value) in Fields(mode, snakeCase: true))
        {
            body[field] = value;
        }

        return body;
    }

    /// <summary>The PCM16 samples of one hub stream, which must carry no error (and, if given, only this sample rate).</summary>
    private static async Task<short[]> AudioOfAsync(Func<CancellationToken, IAsyncEnumerable<SynthesisStreamItem>> stream, int? sampleRate = null)
    {
        var samples = new List<short>();
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        await foreach (var item in stream(timeout.Token))
        {
            Assert.NotEqual(StreamItemKind.Error, item.Kind);
            if (item.Kind == StreamItemKind.Audio)
            {
                if (sampleRate is { } rate)
                {
                    Assert.Equal(rate, item.SampleRate);
                }

                samples.AddRange(Pcm16(item.Audio!));
            }
        }

        return [.. samples];
    }

    private static short[] Wav48k(byte[] wav)
    {
        var decoded = AudioDecoder.Decode(wav, AudioDecodeLimits.Default);
        Assert.Equal(48_000, decoded.SampleRate);
        return [.. decoded.Samples.Select(sample => (short)Math.Round(sample * short.MaxValue))];
    }

    private static short[] Pcm16(byte[] bytes)
    {
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    /// <summary>The VoxCPM2 hub (<see cref="V2HubFixture"/>), a loopback server for the prompt and reference audio, and saved voices made once.</summary>
    public sealed class Fixture : V2HubFixture
    {
        private readonly Dictionary<string, string> _voices = [];
        private PromptAudioServer? _audio;

        internal PromptAudioServer Audio => _audio ?? throw new InvalidOperationException("the fixture is not initialized");

        public override async Task InitializeAsync()
        {
            _audio = await PromptAudioServer.StartAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (_audio is not null)
            {
                await _audio.DisposeAsync();
            }
        }

        /// <summary>The id of a voice saved from the test recording, with this transcript or none (reference audio alone).</summary>
        public async Task<string> SavedVoiceAsync(string? transcript)
        {
            var key = transcript ?? "";
            if (_voices.TryGetValue(key, out var id))
            {
                return id;
            }

            using var form = new MultipartFormDataContent
            {
                { new StringContent("voice-" + Guid.NewGuid().ToString("N")[..8]), "name" },
                { new ByteArrayContent(PromptAudioServer.Wav), "file", "voice.wav" },
            };
            if (transcript is not null)
            {
                form.Add(new StringContent(transcript), "transcript");
            }

            using var response = await Hub.Api.PostAsync(new Uri("/api/voices", UriKind.Relative), form).DefaultTimeout();
            var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
            Assert.True(response.StatusCode == HttpStatusCode.Created, body);
            id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            _voices[key] = id;
            return id;
        }
    }
}
