using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Engine.Text;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.TestKit;
using SynthesisContext = VoxCpm.Hub.Requests.SynthesisContext;

namespace VoxCpm.Hub.Tests.History;

/// <summary>History rows keep how a synthesis was spoken: its segments, attempts and the runaway guard's warnings.</summary>
public sealed class HistorySegmentsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_two_segment_synthesis_leaves_a_row_with_two_segments()
    {
        const string text = "The first sentence of this request is long enough to fill most of a segment on its own. " +
            "The second one follows it and therefore has to be spoken as a segment of its own.";
        Assert.Equal(2, TextSegmenter.Split(text).Count);
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString, TinyFixtures.V05));
        await hub.WaitForReadyAsync();

        using var response = await hub.Api.PostAsJsonAsync("/api/tts", new { text, seed = 9 }).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Guid.Parse(response.Headers.GetValues("X-Synthesis-Id").Single());

        var row = await Eventually.MatchesAsync(
            () => HistoryTestData.FindAsync(database.ConnectionString, id), r => r?.Status == SynthesisStatus.Completed);
        Assert.Equal(2, row!.Segments);
        Assert.True(row.Attempts >= 2, $"one attempt per segment at least, got {row.Attempts}");
        Assert.NotNull(row.Warnings);

        var item = await hub.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/history/{id}", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(2, item.GetProperty("segments").GetInt32());
        Assert.Equal(row.Attempts, item.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Array, item.GetProperty("warnings").ValueKind);
    }

    [Fact]
    public async Task The_guards_warnings_land_in_the_row_and_the_api()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        await hub.WaitForDatabaseAsync();
        var recorder = hub.Services.GetRequiredService<ISynthesisRecorder>();
        var id = Guid.CreateVersion7();
        recorder.Accepted(id, new SynthesisRequest { Text = "guarded text" }, new SynthesisContext(EntryPoint.RawWebSocket, "guard-1"), DateTimeOffset.UtcNow);
        string[] warnings = ["segment 2 ended early: 1 s of noise", "segment 3: attempt 1 was a bad case (70 patches for 11 tokens); retried"];
        var audio = HistoryTestData.Sine(1600, 16000);
        var summary = HistoryTestData.Summary(16000, audio.Length) with { Segments = 3, Attempts = 4, StopReason = "noise", Warnings = warnings };
        recorder.Completed(id, summary, audio, 16000, DateTimeOffset.UtcNow);

        var row = await Eventually.MatchesAsync(
            () => HistoryTestData.FindAsync(database.ConnectionString, id), r => r?.Status == SynthesisStatus.Completed);
        Assert.Equal(3, row!.Segments);
        Assert.Equal(4, row.Attempts);
        Assert.Equal(warnings, row.Warnings);

        var page = await hub.Api.GetFromJsonAsync<JsonElement>(new Uri("/api/history?q=guarded", UriKind.Relative)).DefaultTimeout();
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(3, item.GetProperty("segments").GetInt32());
        Assert.Equal(warnings, item.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray());
    }
}
