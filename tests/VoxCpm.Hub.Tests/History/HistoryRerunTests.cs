using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoxCpm.Hub.Contracts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

/// <summary>POST /api/history/{id}/rerun on the real hub: a new job with the entry's exact request.</summary>
public sealed class HistoryRerunTests(HistoryHubFixture fixture) : IClassFixture<HistoryHubFixture>
{
    [Fact]
    public async Task A_rerun_is_a_new_job_with_identical_parameters_and_voice_and_with_the_seed_identical_audio()
    {
        var text = $"Run me again {Guid.NewGuid():N}.";
        var voiceId = await fixture.UploadVoiceAsync("rerun-voice");
        using (var submitted = await fixture.Hub.Api.PostAsJsonAsync("/api/jobs", new
        {
            text,
            cfg_value = 2.5,
            inference_timesteps = 5,
            normalize = true,
            denoise = false,
            retry_badcase = false,
            seed = 4_242,
            voice_id = voiceId,
        }).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        var original = await fixture.FinishedRowAsync(text);
        Assert.Equal(SynthesisStatus.Completed, original.Status);

        var (jobId, rerunId) = await RerunAsync(original.Id);
        var rerun = await Eventually.MatchesAsync(() => HistoryTestData.FindAsync(fixture.ConnectionString, rerunId), row => row?.FinishedAt is not null);
        Assert.NotEqual(original.Id, rerun!.Id);
        Assert.Equal(jobId, rerun.JobId);
        Assert.Equal(SynthesisStatus.Completed, rerun.Status);
        Assert.Equal(EntryPoint.Http, rerun.EntryPoint);
        AssertSameRequest(original, rerun);
        Assert.Equal(4_242, rerun.Seed);
        Assert.Equal(voiceId, rerun.VoiceId);
        Assert.Equal(original.Audio, rerun.Audio);

        // The re-run's job audio is the same download as the entry's.
        Assert.Equal(rerun.Audio, await fixture.Hub.Api.GetByteArrayAsync(new Uri($"/api/jobs/{jobId}/audio", UriKind.Relative)).DefaultTimeout());
    }

    [Fact]
    public async Task An_entry_made_without_a_seed_records_the_one_drawn_so_its_rerun_sounds_the_same()
    {
        var text = $"No seed given {Guid.NewGuid():N}.";
        using (var submitted = await fixture.Hub.Api.PostAsJsonAsync("/api/jobs", new { text }).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        var original = await fixture.FinishedRowAsync(text);
        Assert.NotNull(original.Seed);
        Assert.InRange(original.Seed!.Value, 0, (1L << 53) - 1);

        var (_, rerunId) = await RerunAsync(original.Id);
        var rerun = await Eventually.MatchesAsync(() => HistoryTestData.FindAsync(fixture.ConnectionString, rerunId), row => row?.FinishedAt is not null);
        AssertSameRequest(original, rerun!);
        Assert.Equal(original.Audio, rerun!.Audio);
    }

    [Fact]
    public async Task A_job_audio_download_is_seekable()
    {
        var text = $"Seek in me {Guid.NewGuid():N}.";
        string jobId;
        using (var submitted = await fixture.Hub.Api.PostAsJsonAsync("/api/jobs", new { text, seed = 5 }).DefaultTimeout())
        {
            jobId = (await submitted.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("job_id").GetString()!;
        }

        var row = await fixture.FinishedRowAsync(text);
        var wav = row.Audio!;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/jobs/{jobId}/audio", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-99");
        using var partial = await fixture.Hub.Api.SendAsync(request).DefaultTimeout();
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 0-99/{wav.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(wav[..100], await partial.Content.ReadAsByteArrayAsync().DefaultTimeout());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/jobs/{jobId}/audio", UriKind.Relative));
        beyond.Headers.TryAddWithoutValidation("Range", $"bytes={wav.Length}-");
        using var refused = await fixture.Hub.Api.SendAsync(beyond).DefaultTimeout();
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
    }

    [Fact]
    public async Task Rerunning_an_unknown_entry_is_404()
    {
        var id = Guid.NewGuid();
        using var response = await fixture.Hub.Api.PostAsync(new Uri($"/api/history/{id}/rerun", UriKind.Relative), null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Contains(id.ToString(), error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<(string JobId, Guid SynthesisId)> RerunAsync(Guid id)
    {
        using var response = await fixture.Hub.Web.PostAsync(new Uri($"/api/history/{id}/rerun", UriKind.Relative), null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        var jobId = body.GetProperty("job_id").GetString()!;
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal($"/api/jobs/{jobId}", response.Headers.Location?.OriginalString);
        Assert.Equal($"/api/jobs/{jobId}/audio", body.GetProperty("audio_url").GetString());
        return (jobId, body.GetProperty("synthesis_id").GetGuid());
    }

    private static void AssertSameRequest(Data.Entities.SynthesisRecord expected, Data.Entities.SynthesisRecord actual)
    {
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Mode, actual.Mode);
        Assert.Equal(expected.CfgValue, actual.CfgValue);
        Assert.Equal(expected.InferenceTimesteps, actual.InferenceTimesteps);
        Assert.Equal(expected.Normalize, actual.Normalize);
        Assert.Equal(expected.Denoise, actual.Denoise);
        Assert.Equal(expected.RetryBadcase, actual.RetryBadcase);
        Assert.Equal(expected.Seed, actual.Seed);
        Assert.Equal(expected.PromptText, actual.PromptText);
        Assert.Equal(expected.PromptWavUrl, actual.PromptWavUrl);
        Assert.Equal(expected.VoiceId, actual.VoiceId);
    }
}
