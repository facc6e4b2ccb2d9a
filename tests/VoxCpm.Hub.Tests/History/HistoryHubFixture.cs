using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

/// <summary>
/// One real hub per test class with everything real: a fresh PostgreSQL database, the history recorder and writer,
/// Hangfire jobs, and the tiny v05 model loaded and warmed up (/ready is 200).
/// </summary>
public sealed class HistoryHubFixture : TinyHubFixture
{
    /// <summary>The row whose text is <paramref name="text"/> once it has finished (completed, failed or cancelled).</summary>
    internal async Task<Data.Entities.SynthesisRecord> FinishedRowAsync(string text)
    {
        var row = await Eventually.MatchesAsync(
            async () =>
            {
                await using var db = HistoryTestData.Db(ConnectionString);
                return await db.Syntheses.AsNoTracking().SingleOrDefaultAsync(s => s.Text == text);
            },
            row => row?.FinishedAt is not null);
        return row!;
    }

    /// <summary>Saves the fixture's clone prompt as a voice through POST /api/voices and returns its id.</summary>
    internal async Task<Guid> UploadVoiceAsync(string name)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent("reference transcript"), "transcript" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(Voices.FixtureEngine.ClonePromptWav)), "file", "prompt.wav" },
        };
        using var response = await Hub.Api.PostAsync(new Uri("/api/voices", UriKind.Relative), form).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>().DefaultTimeout()).GetProperty("id").GetGuid();
    }
}
