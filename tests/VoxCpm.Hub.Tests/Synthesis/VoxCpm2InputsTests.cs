using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Synthesis;

/// <summary>The VoxCPM2 inputs (voice description, reference audio) on a hub with the tiny VoxCPM2 checkpoint.</summary>
public sealed class VoxCpm2InputsTests(V2HubFixture fixture) : IClassFixture<V2HubFixture>
{
    [Fact]
    public async Task A_raw_request_with_a_voice_description_streams_48_kHz_audio()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        await client.SendRequestAsync("designed", new { text = "Hello there.", voice_description = "a calm, low voice", seed = 3 });

        var messages = await ReceiveUntilEndAsync(client);

        Assert.Equal("complete", messages[^1].Type);
        var frames = messages.Select(message => message.Frame).OfType<AudioFrame>().ToList();
        Assert.NotEmpty(frames);
        Assert.All(frames, frame => Assert.Equal(48_000, frame.Metadata["sample_rate"]!.GetValue<int>()));
        Assert.Equal(48_000, messages[^1].Json!["sample_rate"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_reference_url_clones_without_a_transcript_and_changes_the_voice()
    {
        await using var server = await PromptAudioServer.StartAsync();
        var plain = new SynthesisRequest { Text = "Hello there.", Seed = 5 };

        var cloned = await (await StartAsync(plain with { ReferenceWavUrl = server.Url("/voice.wav").ToString() })).ReadAllAsync();
        var unchanged = await (await StartAsync(plain)).ReadAllAsync();

        Assert.IsType<CompletedEvent>(cloned[^1]);
        Assert.NotEqual(unchanged.Audio(), cloned.Audio());
        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => StartAsync(plain with { ReferenceWavUrl = server.Url("/big").ToString() }));
        Assert.Equal(ErrorCodes.PromptAudioInvalid, refused.Code);
        Assert.Equal("reference_wav_url", refused.Field);
    }

    [Fact]
    public async Task Openai_instructions_design_the_voice_of_a_48_kHz_wav()
    {
        using var response = await fixture.Hub.Api.PostAsJsonAsync(
            "/v1/audio/speech", new { model = "tts-1", input = "Hello there.", voice = "alloy", instructions = "Speak cheerfully." }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("48000", response.Headers.GetValues("X-Sample-Rate").Single());
        var wav = AudioDecoder.Decode(await response.Content.ReadAsByteArrayAsync().DefaultTimeout(), AudioDecodeLimits.Default);
        Assert.Equal(48_000, wav.SampleRate);
        Assert.NotEmpty(wav.Samples);
    }

    [Fact]
    public async Task A_voice_description_counts_against_the_text_limit_naming_the_field()
    {
        var request = new SynthesisRequest { Text = new string('a', SynthesisDefaults.MaxTextLength - 10), VoiceDescription = "a calm, low voice" };

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => StartAsync(request));

        Assert.Equal("voice_description", refused.Field);
        Assert.Contains($"the limit is {SynthesisDefaults.MaxTextLength} (TTS_MAX_TEXT_LENGTH)", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<List<ServerMessage>> ReceiveUntilEndAsync(RawTtsClient client)
    {
        var messages = new List<ServerMessage>();
        while (messages.LastOrDefault() is not { Type: "complete" or "error" } and not { Closed: true })
        {
            messages.Add(await client.ReceiveAsync());
        }

        return messages;
    }

    private Task<SynthesisRun> StartAsync(SynthesisRequest request) =>
        fixture.Hub.Services.GetRequiredService<ISynthesisService>().StartAsync(request, new SynthesisContext(EntryPoint.Http, Guid.NewGuid().ToString("N")), CancellationToken.None).DefaultTimeout();
}
