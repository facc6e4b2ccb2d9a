using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VoxCpm.Hub.Tests.TextPlan;

/// <summary>The pre-flight endpoint: what will be spoken, without synthesizing (no model or database needed).</summary>
public sealed class TextPlanEndpointTests
{
    [Fact]
    public async Task Long_text_comes_back_as_the_engines_segment_plan_with_normalized_words()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));
        string text = string.Concat(Enumerable.Repeat("今天是2024年5月1日，气温25度。We paid $3.50 for 2 coffees. ", 8));

        var response = await hub.Api.PostAsJsonAsync("/api/text/plan", new { text, normalize = true });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var segments = body.RootElement.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(Engine.Text.TextSegmenter.Split(text).Count, body.RootElement.GetProperty("segment_count").GetInt32());
        Assert.True(segments.Count > 1);
        Assert.All(segments, s => Assert.InRange(s.GetProperty("text").GetString()!.Length, 1, Engine.Text.TextSegmenter.DefaultMaxChars));
        Assert.Contains(segments, s => s.GetProperty("spoken").GetString()!.Contains("二〇二四年", StringComparison.Ordinal));
        Assert.Contains(segments, s => s.GetProperty("spoken").GetString()!.Contains("三点五", StringComparison.Ordinal));

        // Text with any Chinese character is normalized the Chinese way (as the reference does); English alone the English way.
        var english = await hub.Api.PostAsJsonAsync("/api/text/plan", new { text = "We paid $3.50 for 2 coffees.", normalize = true });
        using var englishBody = JsonDocument.Parse(await english.Content.ReadAsStringAsync());
        Assert.Contains("three", englishBody.RootElement.GetProperty("segments")[0].GetProperty("spoken").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_or_oversized_text_is_refused_naming_the_field_and_limit()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));

        var empty = await hub.Api.PostAsJsonAsync("/api/text/plan", new { text = "" });
        var huge = await hub.Api.PostAsJsonAsync("/api/text/plan", new { text = new string('a', 100_000) });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        string message = await huge.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"text\"", message, StringComparison.Ordinal);
        Assert.Contains("TTS_MAX_TEXT_LENGTH", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_segment_size_is_read_in_snake_case_and_checked()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));
        const string text = "One short sentence. Another short sentence. A third one here.";

        using var small = await hub.Api.PostAsJsonAsync("/api/text/plan", new { text, max_segment_chars = 24 });
        small.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await small.Content.ReadAsStringAsync());
        Assert.Equal(Engine.Text.TextSegmenter.Split(text, 24).Count, body.RootElement.GetProperty("segment_count").GetInt32());
        Assert.All(body.RootElement.GetProperty("segments").EnumerateArray(), s => Assert.InRange(s.GetProperty("text").GetString()!.Length, 1, 24));

        using var tooSmall = await hub.Api.PostAsJsonAsync("/api/text/plan", new { text, max_segment_chars = 3 });
        var error = await ErrorAsync(tooSmall);
        Assert.Equal("max_segment_chars", error.GetProperty("field").GetString());
        Assert.Contains("at least 8 (got 3)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", null)]
    [InlineData("{\"text\":", "text")]
    [InlineData("{\"text\":\"x\",\"normalize\":\"yes\"}", "normalize")]
    public async Task A_body_that_is_not_a_request_is_refused_with_the_error_body(string json, string? field)
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await hub.Api.PostAsync(new Uri("/api/text/plan", UriKind.Relative), content);

        var error = await ErrorAsync(response);
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").Clone();
    }
}
