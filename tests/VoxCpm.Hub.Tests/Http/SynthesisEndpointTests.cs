using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Http;

/// <summary>POST /api/tts on the real host with the tiny model.</summary>
public sealed class SynthesisEndpointTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>
{
    [Fact]
    public async Task A_request_returns_the_whole_audio_as_a_pcm16_mono_wav()
    {
        using var response = await fixture.Hub.Api.PostAsJsonAsync("/api/tts", new { text = "Hello over HTTP.", seed = 3, retry_badcase = false }).DefaultTimeout();
        var wav = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.True(Guid.TryParse(response.Headers.GetValues("X-Synthesis-Id").Single(), out _));
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(16_000u, BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(24)));
        var dataBytes = BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(40));
        Assert.True(dataBytes > 0);
        Assert.Equal(44 + dataBytes, (uint)wav.Length);
    }

    [Theory]
    [InlineData("{\"text\":\"hi\",\"cfg_value\":12}", "cfg_value", "between 0.1 and 10")]
    [InlineData("{\"text\":\"hi\",\"cfg_value\":\"high\"}", "cfg_value", "not a valid request")]
    [InlineData("{\"cfg_value\":2}", "text", "text is required")]
    public async Task Invalid_requests_are_400_naming_the_field(string body, string field, string message)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await fixture.Hub.Api.PostAsync(new Uri("/api/tts", UriKind.Relative), content).DefaultTimeout();
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, error["field"]!.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
