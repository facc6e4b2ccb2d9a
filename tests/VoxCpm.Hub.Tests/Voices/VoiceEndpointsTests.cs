using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Data;
using VoxCpm.Hub.Data.Entities;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Tests.History;
using VoxCpm.Hub.Tests.Synthesis;
using VoxCpm.Hub.Voices;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Voices;

public sealed class VoiceEndpointsTests(PostgresDatabase database, FixtureEngine engine)
    : IClassFixture<PostgresDatabase>, IClassFixture<FixtureEngine>
{
    private const string Transcript = "reference transcript";

    [Fact]
    public async Task An_uploaded_voice_is_listed_downloadable_and_its_prompt_needs_no_encoding()
    {
        await using var hub = await StartAsync();
        var wav = await File.ReadAllBytesAsync(FixtureEngine.ClonePromptWav);
        var name = "narrator-" + Guid.NewGuid().ToString("N")[..6];

        using var created = await UploadAsync(hub.Api, name, Transcript, wav, "prompt.wav");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var voice = await created.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        var id = voice.GetProperty("id").GetGuid();
        Assert.Equal($"/api/voices/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(16000, voice.GetProperty("sample_rate").GetInt32());
        var document = await Http.ApiDocumentReader.GetAsync(hub.Api);
        Assert.Equal(
            Http.ApiDocumentReader.PropertyNames(Http.ApiDocumentReader.ResponseSchema(document, "/api/voices", "post", 201)),
            Http.ApiDocumentReader.WrittenNames(voice));

        var list = await hub.Web.GetFromJsonAsync<JsonElement>(new Uri("/api/voices", UriKind.Relative)).DefaultTimeout();
        var listed = Assert.Single(list.EnumerateArray(), v => v.GetProperty("id").GetGuid() == id);
        Assert.Equal(name, listed.GetProperty("name").GetString());
        Assert.Equal(Transcript, listed.GetProperty("transcript").GetString());

        var one = await hub.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/voices/{id}", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(name, one.GetProperty("name").GetString());
        Assert.Equal(wav, await hub.Api.GetByteArrayAsync(new Uri($"/api/voices/{id}/audio", UriKind.Relative)).DefaultTimeout());

        var expected = engine.Engine.EncodeVoice(wav, Transcript, denoise: false);
        var cached = await hub.Services.GetRequiredService<IVoiceStore>().GetEncodedAsync(id, CancellationToken.None).DefaultTimeout();
        AssertSamePrompt(expected, cached?.Prompt);
        Assert.Null(cached?.Reference);

        // A fresh store (empty memory cache) reads the stored latents instead of encoding.
        var fromDatabase = await FreshStore(hub).GetEncodedAsync(id, CancellationToken.None).DefaultTimeout();
        AssertSamePrompt(expected, fromDatabase?.Prompt);
    }

    [Fact]
    public async Task A_voice_is_encoded_once_per_model_and_keeps_every_models_latents()
    {
        await using var hub = await StartAsync();
        var wav = await File.ReadAllBytesAsync(FixtureEngine.ClonePromptWav);
        using var created = await UploadAsync(hub.Api, "swap-" + Guid.NewGuid().ToString("N")[..6], Transcript, wav, "a.wav");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("id").GetGuid();
        await using (var db = HistoryTestData.Db(database.ConnectionString))
        {
            // As if only another model had used the voice so far.
            await db.VoiceEncodings.Where(e => e.VoiceId == id).ExecuteDeleteAsync().DefaultTimeout();
            db.VoiceEncodings.Add(new VoiceEncoding { VoiceId = id, ModelId = "some/other-model", Latents = new byte[8], Shape = [1, 1, 2] });
            await db.SaveChangesAsync().DefaultTimeout();
        }

        var encoded = await FreshStore(hub).GetEncodedAsync(id, CancellationToken.None).DefaultTimeout();
        AssertSamePrompt(engine.Engine.EncodeVoice(wav, Transcript, denoise: false), encoded?.Prompt);
        await using var check = HistoryTestData.Db(database.ConnectionString);
        var rows = await check.VoiceEncodings.AsNoTracking().Where(e => e.VoiceId == id).OrderBy(e => e.ModelId).ToListAsync().DefaultTimeout();
        Assert.Equal(2, rows.Count);
        var other = Assert.Single(rows, e => e.ModelId == "some/other-model");
        Assert.Equal(new byte[8], other.Latents);
        var current = Assert.Single(rows, e => e.ModelId != "some/other-model");
        Assert.StartsWith(FixtureEngine.ModelDirectory, current.ModelId, StringComparison.Ordinal);
        Assert.Equal(encoded!.Prompt!.Patches.Data.Length * 4, current.Latents.Length);
    }

    [Fact]
    public async Task A_voice_saved_from_reference_audio_alone_is_refused_by_a_model_without_reference_audio()
    {
        await using var hub = await StartAsync();
        var wav = await File.ReadAllBytesAsync(FixtureEngine.ClonePromptWav);
        Guid id;
        await using (var db = HistoryTestData.Db(database.ConnectionString))
        {
            // Saved on a VoxCPM2 node sharing this database.
            var voice = new Voice { Name = "reference-" + Guid.NewGuid().ToString("N")[..6], ReferenceAudio = wav, SampleRate = 16000 };
            db.Voices.Add(voice);
            await db.SaveChangesAsync().DefaultTimeout();
            id = voice.Id;
        }

        var refused = await Assert.ThrowsAsync<SynthesisRejectedException>(() => FreshStore(hub).GetEncodedAsync(id, CancellationToken.None)).DefaultTimeout();

        Assert.Equal("voice_id", refused.Field);
        Assert.Contains("VoxCPM2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_the_field_and_the_limit()
    {
        await using var hub = await StartAsync();
        var wav = await File.ReadAllBytesAsync(FixtureEngine.ClonePromptWav);

        await AssertRefusedAsync(() => UploadAsync(hub.Api, "text-file", Transcript, "just some text, not audio"u8.ToArray(), "notes.txt"), 415, "file", "MP3, FLAC");
        await AssertRefusedAsync(() => UploadAsync(hub.Api, "truncated", Transcript, wav[..30], "cut.wav"), 400, "file", "claims");
        await AssertRefusedAsync(() => UploadAsync(hub.Api, "huge", Transcript, new byte[VoiceStore.AudioLimits.MaxBytes + 1], "huge.wav"), 413, "file", VoiceStore.AudioLimits.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var longAudio = WavWriter.ToWavBytes(new float[16000 * 61], 16000);
        await AssertRefusedAsync(() => UploadAsync(hub.Api, "long", Transcript, longAudio, "long.wav"), 413, "file", "60 s");
        await AssertRefusedAsync(() => UploadAsync(hub.Api, "", Transcript, wav, "a.wav"), 400, "name", "100");
        await AssertRefusedAsync(() => UploadAsync(hub.Api, "no-transcript", "", wav, "a.wav"), 400, "transcript", "1000");
        await AssertRefusedAsync(() => UploadAsync(hub.Api, "no-file", Transcript, null, null), 400, "file", "required");
        using var json = await hub.Api.PostAsJsonAsync(new Uri("/api/voices", UriKind.Relative), new { name = "x" }).DefaultTimeout();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        // The server keeps serving after all of that.
        using var ok = await UploadAsync(hub.Api, "after-" + Guid.NewGuid().ToString("N")[..6], Transcript, wav, "a.wav");
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Theory]
    [InlineData("mp3", "audio/mpeg")]
    [InlineData("opus", "audio/ogg")]
    [InlineData("flac", "audio/flac")]
    public async Task A_voice_uploaded_in_another_format_is_kept_as_sent_and_served_with_its_type(string format, string contentType)
    {
        await using var hub = await StartAsync();
        var file = await PromptAudioServer.EncodeAsync(format);

        using var created = await UploadAsync(hub.Api, $"{format}-" + Guid.NewGuid().ToString("N")[..6], Transcript, file, "recording.bin");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("id").GetGuid();

        using var audio = await hub.Api.GetAsync(new Uri($"/api/voices/{id}/audio", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(contentType, audio.Content.Headers.ContentType?.MediaType);
        Assert.Equal(file, await audio.Content.ReadAsByteArrayAsync().DefaultTimeout());
        Assert.NotNull(await hub.Services.GetRequiredService<IVoiceStore>().GetEncodedAsync(id, CancellationToken.None).DefaultTimeout());

        await AssertRefusedAsync(() => UploadAsync(hub.Api, "cut-" + format, Transcript, file[..200], "cut.bin"), 400, "file", "file: ");
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict_and_deletion_frees_it()
    {
        await using var hub = await StartAsync();
        var wav = await File.ReadAllBytesAsync(FixtureEngine.ClonePromptWav);
        var name = "twice-" + Guid.NewGuid().ToString("N")[..6];
        using var first = await UploadAsync(hub.Api, name, Transcript, wav, "a.wav");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertRefusedAsync(() => UploadAsync(hub.Api, name, Transcript, wav, "a.wav"), 409, "name", name);

        var id = (await first.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("id").GetGuid();
        using (var deleted = await hub.Api.DeleteAsync(new Uri($"/api/voices/{id}", UriKind.Relative)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Null(await hub.Services.GetRequiredService<IVoiceStore>().GetEncodedAsync(id, CancellationToken.None).DefaultTimeout());
        foreach (var path in new[] { $"/api/voices/{id}", $"/api/voices/{id}/audio" })
        {
            using var gone = await hub.Api.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using var again = await UploadAsync(hub.Api, name, Transcript, wav, "a.wav");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    private static void AssertSamePrompt(Engine.Generation.VoicePrompt expected, Engine.Generation.VoicePrompt? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Patches.Shape, actual.Patches.Shape);
        Assert.Equal(expected.Patches.Data, actual.Patches.Data);
    }

    private static async Task AssertRefusedAsync(Func<Task<HttpResponseMessage>> call, int status, string field, string mention)
    {
        using var response = await call();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(mention, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, string transcript, byte[]? file, string? fileName)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent(transcript), "transcript" },
        };
        if (file is not null)
        {
            form.Add(new ByteArrayContent(file), "file", fileName!);
        }

        return client.PostAsync(new Uri("/api/voices", UriKind.Relative), form).DefaultTimeout();
    }

    private static VoiceStore FreshStore(TestHub hub) => new(
        hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>(),
        hub.Services,
        hub.Services.GetRequiredService<IOptions<ModelOptions>>(),
        NullLogger<VoiceStore>.Instance);

    private async Task<TestHub> StartAsync()
    {
        var hub = await TestHub.StartAsync(
            TestSettings.With(database.ConnectionString, FixtureEngine.ModelDirectory),
            services => services.AddSingleton<IEngineAccessor>(engine));
        await hub.WaitForDatabaseAsync();
        return hub;
    }
}
