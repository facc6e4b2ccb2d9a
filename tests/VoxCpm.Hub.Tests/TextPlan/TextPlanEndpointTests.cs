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
}
