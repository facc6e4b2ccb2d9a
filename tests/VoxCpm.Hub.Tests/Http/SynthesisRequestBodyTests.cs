using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Tests.History;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Http;

/// <summary>
/// POST /api/tts and /api/jobs read their body through the raw protocol's binder: integral floats are integers, a
/// fraction or an unknown enum value is refused naming the field, unknown fields are ignored.
/// </summary>
public sealed class SynthesisRequestBodyTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>
{
    private const string Text = "Ten steps, written as a float.";

    [Fact]
    public async Task An_integral_float_is_the_integer_on_api_tts()
    {
        var asFloat = await SynthesizeAsync("""{"text":"Ten steps, written as a float.","seed":5,"inference_timesteps":10.0,"mode":"non_streaming"}""");
        var asInteger = await SynthesizeAsync("""{"text":"Ten steps, written as a float.","seed":5,"inference_timesteps":10}""");

        // The same seed and the same 10 steps: the same audio.
        Assert.Equal(asInteger, asFloat);
    }

    [Fact]
    public async Task An_integral_float_is_the_integer_on_api_jobs()
    {
        var row = await EnqueueAsync($$"""{"text":"{{Text}}","inference_timesteps":10.0,"seed":7.0,"mode":"non_streaming"}""");

        Assert.Equal(10, row.InferenceTimesteps);
        Assert.Equal(7, row.Seed);
        Assert.Equal(SynthesisMode.NonStreaming, row.Mode);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_as_in_the_raw_protocol()
    {
        // cfgValue is the SignalR spelling: on this wire it is an unknown field, so the default applies (50 would be refused).
        var row = await EnqueueAsync($$"""{"text":"{{Text}}","cfgValue":50,"speaker":"nobody","inference_timesteps":2}""");

        Assert.Equal(SynthesisDefaults.CfgValue, row.CfgValue, 6);
        Assert.Equal(2, row.InferenceTimesteps);
    }

    [Theory]
    [InlineData("""{"text":"x","inference_timesteps":10.5}""", "inference_timesteps", "inference_timesteps must be an integer (got 10.5)")]
    [InlineData("""{"text":"x","mode":"fast"}""", "mode", "'streaming' or 'non_streaming'")]
    [InlineData("""{"text":"x","mode":"Fast"}""", "mode", "(got 'Fast')")]
    [InlineData("""{"text":"x","seed":"seven"}""", "seed", "seed must be an integer (got string)")]
    [InlineData("""{"text":"x","voice_id":"narrator"}""", "voice_id", "UUID")]
    [InlineData("""{"cfg_value":2}""", "text", "text is required")]
    [InlineData("""[{"text":"x"}]""", "text", "JSON object")]
    [InlineData("""{"text":"x",""", null, "not valid JSON")]
    public async Task A_body_that_does_not_bind_is_refused_naming_the_field_on_both_endpoints(string json, string? field, string mention)
    {
        foreach (var path in new[] { "/api/tts", "/api/jobs" })
        {
            using var response = await PostAsync(path, json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("error");
            Assert.Equal(ErrorCodes.InvalidJson, error.GetProperty("code").GetString());
            Assert.Equal(field, error.GetProperty("field").GetString());
            Assert.Contains(mention, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    private async Task<byte[]> SynthesizeAsync(string json)
    {
        using var response = await PostAsync("/api/tts", json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
    }

    // The job's history row is written when it is accepted: it holds the request as bound.
    private async Task<Data.Entities.SynthesisRecord> EnqueueAsync(string json)
    {
        using var response = await PostAsync("/api/jobs", json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        var row = await HistoryTestData.FindAsync(fixture.ConnectionString, body.GetProperty("synthesis_id").GetGuid());
        Assert.NotNull(row);
        return row;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await fixture.Hub.Api.PostAsync(new Uri(path, UriKind.Relative), content).DefaultTimeout();
    }
}
