using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Synthesis;

/// <summary>The same inputs on the tiny VoxCPM-0.5B model, which has neither: refused naming the field and the model.</summary>
public sealed class V1ModelRefusalTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>
{
    [Theory]
    [InlineData("voice_description")]
    [InlineData("reference_wav_url")]
    public async Task A_voxcpm2_field_is_refused_naming_the_field_and_the_model(string field)
    {
        var request = new SynthesisRequest { Text = "Hello there.", Seed = 1 };
        request = field == "voice_description" ? request with { VoiceDescription = "a calm voice" } : request with { ReferenceWavUrl = "http://127.0.0.1:9/voice.wav" };

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() =>
            fixture.Synthesis.StartAsync(request, new SynthesisContext(EntryPoint.Http, Guid.NewGuid().ToString("N")), CancellationToken.None).DefaultTimeout());

        Assert.Equal(ErrorCodes.InvalidRequest, refused.Code);
        Assert.Equal(field, refused.Field);
        Assert.Contains("VoxCPM2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("VoxCPM-0.5B", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openai_instructions_are_refused_naming_instructions()
    {
        using var response = await fixture.Hub.Api.PostAsJsonAsync(
            "/v1/audio/speech", new { model = "tts-1", input = "Hello there.", voice = "alloy", instructions = "Speak cheerfully." }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("error");
        Assert.Equal("instructions", error.GetProperty("field").GetString());
        Assert.StartsWith("instructions needs a VoxCPM2 model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
