using Microsoft.EntityFrameworkCore;
using VoxCpm.Hub.Data.Entities;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Data.Tests;

public sealed class VoiceRoundTripTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => TestDbContexts.MigrateAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_voice_reads_back_exactly_as_written()
    {
        var createdAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var voice = new Voice
        {
            Name = "narrator-" + Guid.NewGuid().ToString("N")[..8],
            PromptText = "今天天气很好。",
            ReferenceAudio = [0x52, 0x49, 0x46, 0x46, 0x00, 0xFF],
            SampleRate = 16000,
            CreatedAt = createdAt,
        };
        voice.Encodings.Add(new VoiceEncoding { ModelId = "openbmb/VoxCPM-0.5B@main", Latents = [1, 2, 3, 4, 5, 6, 7, 8], Shape = [1, 2, 1] });
        voice.Encodings.Add(new VoiceEncoding { ModelId = "openbmb/VoxCPM2@main", Latents = [9, 10, 11, 12], Shape = [1, 1, 1] });
        await using (var write = TestDbContexts.Create(database))
        {
            write.Voices.Add(voice);
            await write.SaveChangesAsync().DefaultTimeout();
        }

        await using var read = TestDbContexts.Create(database);
        var stored = await read.Voices.Include(v => v.Encodings).SingleAsync(v => v.Id == voice.Id).DefaultTimeout();
        Assert.Equal(voice.Name, stored.Name);
        Assert.Equal(voice.PromptText, stored.PromptText);
        Assert.Equal(voice.ReferenceAudio, stored.ReferenceAudio);
        Assert.Equal(16000, stored.SampleRate);
        var encodings = stored.Encodings.OrderBy(e => e.ModelId, StringComparer.Ordinal).ToList();
        Assert.Equal(["openbmb/VoxCPM-0.5B@main", "openbmb/VoxCPM2@main"], encodings.Select(e => e.ModelId));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, encodings[0].Latents);
        Assert.Equal([1, 2, 1], encodings[0].Shape);
        Assert.Equal([1, 1, 1], encodings[1].Shape);
        Assert.Equal(createdAt, stored.CreatedAt);
    }

    [Fact]
    public async Task A_voice_saved_from_reference_audio_alone_has_no_transcript_and_deleting_it_deletes_its_latents()
    {
        var voice = new Voice { Name = "reference-" + Guid.NewGuid().ToString("N")[..8], ReferenceAudio = [1, 2], SampleRate = 16000 };
        voice.Encodings.Add(new VoiceEncoding { ModelId = "openbmb/VoxCPM2@main", Latents = [1, 2, 3, 4], Shape = [1, 1, 1] });
        await using (var write = TestDbContexts.Create(database))
        {
            write.Voices.Add(voice);
            await write.SaveChangesAsync().DefaultTimeout();
        }

        await using var context = TestDbContexts.Create(database);
        Assert.Null(await context.Voices.Where(v => v.Id == voice.Id).Select(v => v.PromptText).SingleAsync().DefaultTimeout());
        await context.Voices.Where(v => v.Id == voice.Id).ExecuteDeleteAsync().DefaultTimeout();
        Assert.False(await context.VoiceEncodings.AnyAsync(e => e.VoiceId == voice.Id).DefaultTimeout());
    }

    [Fact]
    public async Task Voice_names_are_unique()
    {
        var name = "duplicate-" + Guid.NewGuid().ToString("N")[..8];
        await using var context = TestDbContexts.Create(database);
        context.Voices.Add(new Voice { Name = name, PromptText = "a", ReferenceAudio = [1] });
        await context.SaveChangesAsync().DefaultTimeout();

        await using var other = TestDbContexts.Create(database);
        other.Voices.Add(new Voice { Name = name, PromptText = "b", ReferenceAudio = [2] });
        await Assert.ThrowsAsync<DbUpdateException>(() => other.SaveChangesAsync().DefaultTimeout());
    }
}
