using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Tests.History;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Http;

/// <summary>OpenAI-compatible POST /v1/audio/speech on the real hub, with the bodies OpenAI's SDKs send.</summary>
public sealed class OpenAiSpeechTests(HistoryHubFixture fixture) : IClassFixture<HistoryHubFixture>
{
    [Fact]
    public async Task The_body_an_openai_sdk_sends_returns_a_wav_and_lands_in_history()
    {
        var input = $"Hello from an OpenAI client {Guid.NewGuid():N}.";
        // As the official SDKs send it: a bearer key, the model, a built-in voice and the optional fields.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/audio/speech", UriKind.Relative))
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { model = "gpt-4o-mini-tts", input, voice = "coral", response_format = "wav", speed = 1.0 }),
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-anything");
        using var response = await fixture.Hub.Api.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("16000", response.Headers.GetValues("X-Sample-Rate").Single());
        var wav = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        var decoded = AudioDecoder.Decode(wav, AudioDecodeLimits.Default);
        Assert.Equal(16_000, decoded.SampleRate);
        Assert.True(decoded.Samples.Length > 0);

        var row = await fixture.FinishedRowAsync(input);
        Assert.Equal(Guid.Parse(response.Headers.GetValues("X-Synthesis-Id").Single()), row.Id);
        Assert.Equal(EntryPoint.Http, row.EntryPoint);
        Assert.Equal(SynthesisStatus.Completed, row.Status);
        Assert.Null(row.VoiceId);
        Assert.Equal(wav, row.Audio);
    }

    [Fact]
    public async Task Pcm_is_the_raw_little_endian_samples_with_the_rate_in_a_header()
    {
        var input = $"Raw samples please {Guid.NewGuid():N}.";
        using var response = await fixture.Hub.Api.PostAsJsonAsync("/v1/audio/speech", new { model = "tts-1", input, voice = "alloy", response_format = "pcm" }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/pcm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("16000", response.Headers.GetValues("X-Sample-Rate").Single());
        var pcm = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        var row = await fixture.FinishedRowAsync(input);
        Assert.Equal(row.Audio![WavWriter.HeaderSize..], pcm);
        Assert.NotEqual("RIFF", Encoding.ASCII.GetString(pcm, 0, 4));
    }

    [Fact]
    public async Task A_saved_voice_is_found_by_name_or_by_id()
    {
        var name = "openai-" + Guid.NewGuid().ToString("N")[..8];
        var voiceId = await fixture.UploadVoiceAsync(name);

        foreach (var voice in new[] { name, voiceId.ToString() })
        {
            var input = $"Spoken by {voice} {Guid.NewGuid():N}.";
            using var response = await fixture.Hub.Api.PostAsJsonAsync("/v1/audio/speech", new { model = "tts-1", input, voice }).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var row = await fixture.FinishedRowAsync(input);
            Assert.Equal(voiceId, row.VoiceId);
        }
    }

    [Theory]
    [InlineData("""{"model":"tts-1","input":"hi","voice":"nobody-here"}""", HttpStatusCode.NotFound, "voice", "'nobody-here'")]
    [InlineData("""{"model":"tts-1","input":"hi","voice":"alloy","response_format":"ogg"}""", HttpStatusCode.BadRequest, "response_format", "mp3, opus, aac, flac, wav, pcm")]
    [InlineData("""{"model":"tts-1","input":"hi","voice":"alloy","speed":1.5}""", HttpStatusCode.BadRequest, "speed", "speed must be 1.0 (got 1.5)")]
    [InlineData("""{"model":"tts-1","input":"hi","voice":"alloy","speed":"fast"}""", HttpStatusCode.BadRequest, "speed", "not a valid speech request")]
    [InlineData("""{"model":"tts-1","input":"  ","voice":"alloy"}""", HttpStatusCode.BadRequest, "input", "input is required")]
    [InlineData("""{"model":"tts-1","voice":"alloy"}""", HttpStatusCode.BadRequest, "input", "input is required")]
    [InlineData("""{"model":"tts-1","input":"a\u0001b","voice":"alloy"}""", HttpStatusCode.BadRequest, "input", "input contains control characters")]
    [InlineData("""{"model":"tts-1","input":"hi","voice":"alloy","stream_format":"websocket"}""", HttpStatusCode.BadRequest, "stream_format", "audio")]
    public async Task A_bad_request_is_refused_naming_the_openai_field(string body, HttpStatusCode status, string field, string mention)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await fixture.Hub.Api.PostAsync(new Uri("/v1/audio/speech", UriKind.Relative), content).DefaultTimeout();

        Assert.Equal(status, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("error");
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(mention, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
