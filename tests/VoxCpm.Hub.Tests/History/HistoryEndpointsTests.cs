using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

public sealed class HistoryEndpointsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Lists_newest_first_in_pages_on_both_ports()
    {
        await using var hub = await StartWithRowsAsync("paging", 25);

        var first = await GetPageAsync(hub.Api, "/api/history?q=paging&page_size=10");
        Assert.Equal(25, first.GetProperty("total").GetInt32());
        Assert.Equal(10, first.GetProperty("items").GetArrayLength());
        Assert.Equal("paging 24", first.GetProperty("items")[0].GetProperty("text").GetString());

        var last = await GetPageAsync(hub.Web, "/api/history?q=paging&page=3&page_size=10");
        Assert.Equal(3, last.GetProperty("page").GetInt32());
        Assert.Equal(5, last.GetProperty("items").GetArrayLength());
        Assert.Equal("paging 0", last.GetProperty("items")[4].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Searches_text_and_filters_by_status_and_mode()
    {
        await using var hub = await StartWithRowsAsync("search", 6);

        var hit = await GetPageAsync(hub.Api, "/api/history?q=SEARCH%203");
        var item = Assert.Single(hit.GetProperty("items").EnumerateArray());
        Assert.Equal("search 3", item.GetProperty("text").GetString());

        var failed = await GetPageAsync(hub.Api, "/api/history?q=search&status=failed");
        Assert.Equal(3, failed.GetProperty("total").GetInt32());
        Assert.All(failed.GetProperty("items").EnumerateArray(), i => Assert.Equal("failed", i.GetProperty("status").GetString()));

        var nonStreaming = await GetPageAsync(hub.Api, "/api/history?q=search&mode=non_streaming&status=completed");
        Assert.Equal(3, nonStreaming.GetProperty("total").GetInt32());

        var wildcard = await GetPageAsync(hub.Api, "/api/history?q=%25");
        Assert.Equal(0, wildcard.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("page=0", "page", "1 and 100000")]
    [InlineData("page=abc", "page", "'abc'")]
    [InlineData("page_size=0", "page_size", "1 and 100")]
    [InlineData("page_size=101", "page_size", "1 and 100")]
    [InlineData("status=done", "status", "queued, running, completed, failed, cancelled")]
    [InlineData("mode=fast", "mode", "streaming, non_streaming")]
    public async Task Invalid_paging_or_filters_are_refused_naming_the_parameter(string query, string field, string limit)
    {
        await using var hub = await StartWithRowsAsync("invalid", 0);
        using var response = await hub.Api.GetAsync(new Uri("/api/history?" + query, UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("error");
        Assert.Equal("invalid_request", error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(limit, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_entry_its_audio_and_its_deletion()
    {
        await using var hub = await StartWithRowsAsync("single", 2);
        var page = await GetPageAsync(hub.Api, "/api/history?q=single&status=completed");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        var id = item.GetProperty("id").GetGuid();
        Assert.Equal($"/api/history/{id}/audio", item.GetProperty("audio_url").GetString());

        var one = await hub.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/history/{id}", UriKind.Relative)).DefaultTimeout();
        Assert.Equal("single 1", one.GetProperty("text").GetString());
        Assert.Equal(3.0, one.GetProperty("parameters").GetProperty("cfg_value").GetDouble());
        Assert.Equal("signalr", one.GetProperty("entry_point").GetString());

        // Written exactly as the OpenAPI document describes it: the same snake_case names, nested ones too.
        var document = await Http.ApiDocumentReader.GetAsync(hub.Api);
        var schema = Http.ApiDocumentReader.ResponseSchema(document, "/api/history/{id}", "get", 200);
        Assert.Equal(Http.ApiDocumentReader.PropertyNames(schema), Http.ApiDocumentReader.WrittenNames(one));
        var parameters = Http.ApiDocumentReader.Resolve(document, schema.GetProperty("properties").GetProperty("parameters"));
        Assert.Equal(Http.ApiDocumentReader.PropertyNames(parameters), Http.ApiDocumentReader.WrittenNames(one.GetProperty("parameters")));
        var pageSchema = Http.ApiDocumentReader.ResponseSchema(document, "/api/history", "get", 200);
        Assert.Equal(Http.ApiDocumentReader.PropertyNames(pageSchema), Http.ApiDocumentReader.WrittenNames(page));
        Assert.Contains("page_size", Http.ApiDocumentReader.WrittenNames(page));

        using (var audio = await hub.Api.GetAsync(new Uri($"/api/history/{id}/audio", UriKind.Relative)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
            Assert.Equal("audio/wav", audio.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"synthesis-{id}.wav", audio.Content.Headers.ContentDisposition?.FileNameStar ?? audio.Content.Headers.ContentDisposition?.FileName);
            var wav = await audio.Content.ReadAsByteArrayAsync().DefaultTimeout();
            Assert.Equal(1600, AudioDecoder.Decode(wav, AudioDecodeLimits.Default).Samples.Length);
        }

        using (var deleted = await hub.Api.DeleteAsync(new Uri($"/api/history/{id}", UriKind.Relative)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Null(await HistoryTestData.FindAsync(database.ConnectionString, id));
        foreach (var path in new[] { $"/api/history/{id}", $"/api/history/{id}/audio" })
        {
            using var gone = await hub.Api.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using var again = await hub.Api.DeleteAsync(new Uri($"/api/history/{id}", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Audio_downloads_are_seekable_with_range_requests()
    {
        await using var hub = await StartWithRowsAsync("ranges", 2);
        var page = await GetPageAsync(hub.Api, "/api/history?q=ranges&status=completed");
        var path = Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("audio_url").GetString()!;
        var whole = await hub.Api.GetByteArrayAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        Assert.Equal(44 + (1600 * 2), whole.Length);

        using (var first = await GetRangeAsync(hub.Api, path, "bytes=0-99"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
            Assert.Equal($"bytes 0-99/{whole.Length}", first.Content.Headers.ContentRange?.ToString());
            Assert.Equal("audio/wav", first.Content.Headers.ContentType?.MediaType);
            Assert.Equal(whole[..100], await first.Content.ReadAsByteArrayAsync().DefaultTimeout());
        }

        using (var middle = await GetRangeAsync(hub.Api, path, "bytes=1000-1009"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
            Assert.Equal(whole[1000..1010], await middle.Content.ReadAsByteArrayAsync().DefaultTimeout());
        }

        using (var suffix = await GetRangeAsync(hub.Api, path, "bytes=-50"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, suffix.StatusCode);
            Assert.Equal($"bytes {whole.Length - 50}-{whole.Length - 1}/{whole.Length}", suffix.Content.Headers.ContentRange?.ToString());
            Assert.Equal(whole[^50..], await suffix.Content.ReadAsByteArrayAsync().DefaultTimeout());
        }

        using (var beyond = await GetRangeAsync(hub.Api, path, $"bytes={whole.Length + 10}-"))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
            Assert.Equal($"bytes */{whole.Length}", beyond.Content.Headers.ContentRange?.ToString());
        }

        using var plain = await hub.Api.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Contains("bytes", plain.Headers.AcceptRanges);
    }

    private static async Task<HttpResponseMessage> GetRangeAsync(HttpClient client, string path, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Range", range);
        return await client.SendAsync(request).DefaultTimeout();
    }

    [Fact]
    public async Task A_failed_entry_has_no_audio()
    {
        await using var hub = await StartWithRowsAsync("noaudio", 2);
        var page = await GetPageAsync(hub.Api, "/api/history?q=noaudio&status=failed");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("audio_url").ValueKind);
        using var audio = await hub.Api.GetAsync(new Uri($"/api/history/{item.GetProperty("id").GetGuid()}/audio", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, audio.StatusCode);
    }

    private static async Task<JsonElement> GetPageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
    }

    // Rows "<prefix> 0" .. "<prefix> n-1", a minute apart; odd ones completed (non-streaming, with audio), even ones failed.
    private async Task<TestHub> StartWithRowsAsync(string prefix, int count)
    {
        var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        await hub.WaitForDatabaseAsync();
        await using var db = HistoryTestData.Db(database.ConnectionString);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var wav = WavWriter.ToWavBytes(HistoryTestData.Sine(1600, 16000), 16000);
        for (var i = 0; i < count; i++)
        {
            var completed = i % 2 == 1;
            db.Syntheses.Add(new Data.Entities.SynthesisRecord
            {
                RequestId = $"{prefix}-{i}",
                Text = $"{prefix} {i}",
                Mode = completed ? SynthesisMode.NonStreaming : SynthesisMode.Streaming,
                EntryPoint = EntryPoint.SignalR,
                CfgValue = 3,
                InferenceTimesteps = 10,
                Status = completed ? SynthesisStatus.Completed : SynthesisStatus.Failed,
                CreatedAt = start.AddMinutes(i),
                SampleRate = completed ? 16000 : null,
                Audio = completed ? wav : null,
                ErrorCode = completed ? null : "synthesis_failed",
            });
        }

        await db.SaveChangesAsync().DefaultTimeout();
        return hub;
    }
}
