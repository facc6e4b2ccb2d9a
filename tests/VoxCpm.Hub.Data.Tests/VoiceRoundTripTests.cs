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
            PromptLatents = [1, 2, 3, 4, 5, 6, 7, 8],
            PromptLatentsShape = [1, 2, 1],
            PromptLatentsModelId = "openbmb/VoxCPM-0.5B@main",
            CreatedAt = createdAt,
        };
        await using (var write = TestDbContexts.Create(database))
        {
            write.Voices.Add(voice);
            await write.SaveChangesAsync().DefaultTimeout();
        }

        await using var read = TestDbContexts.Create(database);
        var stored = await read.Voices.SingleAsync(v => v.Id == voice.Id).DefaultTimeout();
        Assert.Equal(voice.Name, stored.Name);
        Assert.Equal(voice.PromptText, stored.PromptText);
        Assert.Equal(voice.ReferenceAudio, stored.ReferenceAudio);
        Assert.Equal(16000, stored.SampleRate);
        Assert.Equal(voice.PromptLatents, stored.PromptLatents);
        Assert.Equal([1, 2, 1], stored.PromptLatentsShape ?? []);
        Assert.Equal(voice.PromptLatentsModelId, stored.PromptLatentsModelId);
        Assert.Equal(createdAt, stored.CreatedAt);
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
