using System.ClientModel;
using System.Net.Http.Headers;
using System.Text;
using OpenAI;
using OpenAI.Audio;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Client.Tests;

/// <summary>OpenAI-compatible streaming on /v1/audio/speech: the official .NET SDK's SSE stream, and chunked pcm/wav bodies.</summary>
public sealed class OpenAiSpeechStreamingTests(HubServerFixture server) : IClassFixture<HubServerFixture>
{
    [Fact]
    public async Task The_official_sdk_streams_speech_deltas_and_a_done_event()
    {
        // The voice "alloy" is looked up among the saved voices first: wait for the database to be migrated (/ready).
        using (var http = new HttpClient { BaseAddress = server.Url })
        {
            await Eventually.MatchesAsync(async () => (await http.GetAsync(new Uri("/ready", UriKind.Relative))).StatusCode, status => status == System.Net.HttpStatusCode.OK);
        }

        // Any model id is accepted; the SDK streams only for models it believes can (not tts-1).
        var client = new AudioClient("gpt-4o-mini-tts", new ApiKeyCredential("any"), new OpenAIClientOptions { Endpoint = new Uri(server.Url, "/v1") });

        var audio = new List<byte>();
        var done = 0;
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var updates = await client.GenerateSpeechStreamingAsync("Streamed to the official client.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm }, timeout.Token);
        await foreach (var update in updates.WithCancellation(timeout.Token))
        {
            switch (update)
            {
                case StreamingSpeechAudioDeltaUpdate delta:
                    Assert.Equal(0, done);
                    audio.AddRange(delta.AudioBytes.ToArray());
                    break;
                case StreamingSpeechAudioDoneUpdate:
                    done++;
                    break;
            }
        }

        Assert.Equal(1, done);
        Assert.True(audio.Count > 0);
        Assert.Equal(0, audio.Count % 2);
    }

    [Theory]
    [InlineData("pcm", "audio/pcm")]
    [InlineData("wav", "audio/wav")]
    public async Task A_chunked_body_starts_with_the_first_audio(string format, string mediaType)
    {
        using var http = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = new StringContent($$"""{"model":"voxcpm","input":"Chunked from the first audio.","response_format":"{{format}}","stream_format":"audio"}""", Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked);
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        Assert.Equal("16000", response.Headers.GetValues("X-Sample-Rate").Single());
        if (format == "wav")
        {
            Assert.Equal("RIFF", Encoding.ASCII.GetString(body, 0, 4));
            Assert.True(body.Length > 44);
        }
        else
        {
            Assert.True(body.Length > 0);
        }
    }

    [Fact]
    public async Task An_unknown_stream_format_is_refused_naming_the_field()
    {
        using var http = new HttpClient { BaseAddress = server.Url };
        using var content = new StringContent("""{"input":"Hi.","stream_format":"websocket"}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PostAsync(new Uri("/v1/audio/speech", UriKind.Relative), content).DefaultTimeout();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("stream_format", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
