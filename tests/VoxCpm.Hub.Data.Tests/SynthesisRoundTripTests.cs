using Microsoft.EntityFrameworkCore;
using Npgsql;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Data.Entities;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Data.Tests;

public sealed class SynthesisRoundTripTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => TestDbContexts.MigrateAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_synthesis_with_every_field_set_reads_back_exactly_as_written()
    {
        var voice = new Voice { Name = "v-" + Guid.NewGuid().ToString("N")[..8], PromptText = "p", ReferenceAudio = [1] };
        var synthesis = NewSynthesis(voice);
        await using (var write = TestDbContexts.Create(database))
        {
            write.Syntheses.Add(synthesis);
            await write.SaveChangesAsync().DefaultTimeout();
        }

        await using var read = TestDbContexts.Create(database);
        var stored = await read.Syntheses.Include(s => s.Voice).SingleAsync(s => s.Id == synthesis.Id).DefaultTimeout();
        Assert.Equivalent(Columns(synthesis), Columns(stored), strict: true);
        Assert.Equal(voice.Id, stored.Voice?.Id);
    }

    [Fact]
    public async Task Enums_are_stored_as_the_protocol_spells_them()
    {
        var synthesis = NewSynthesis(voice: null);
        await using (var write = TestDbContexts.Create(database))
        {
            write.Syntheses.Add(synthesis);
            await write.SaveChangesAsync().DefaultTimeout();
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand(
            "SELECT mode, entry_point, status FROM syntheses WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", synthesis.Id);
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        Assert.True(await reader.ReadAsync().DefaultTimeout());
        Assert.Equal(("non_streaming", "raw_ws", "completed"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
    }

    [Fact]
    public async Task Deleting_a_voice_keeps_its_history_rows()
    {
        var voice = new Voice { Name = "gone-" + Guid.NewGuid().ToString("N")[..8], PromptText = "p", ReferenceAudio = [1] };
        var synthesis = NewSynthesis(voice);
        await using (var write = TestDbContexts.Create(database))
        {
            write.Syntheses.Add(synthesis);
            await write.SaveChangesAsync().DefaultTimeout();
            write.Voices.Remove(voice);
            await write.SaveChangesAsync().DefaultTimeout();
        }

        await using var read = TestDbContexts.Create(database);
        var stored = await read.Syntheses.SingleAsync(s => s.Id == synthesis.Id).DefaultTimeout();
        Assert.Null(stored.VoiceId);
    }

    // Every stored column, so a field that does not round-trip fails the comparison by name.
    private static object Columns(SynthesisRecord s) => new
    {
        s.Id,
        s.RequestId,
        s.Text,
        s.Mode,
        s.CfgValue,
        s.InferenceTimesteps,
        s.Normalize,
        s.Denoise,
        s.RetryBadcase,
        s.Seed,
        s.PromptText,
        s.VoiceId,
        s.EntryPoint,
        s.Status,
        s.QueueWaitMs,
        s.TimeToFirstAudioMs,
        s.TotalMs,
        s.AudioSeconds,
        s.Rtf,
        s.ErrorCode,
        s.ErrorMessage,
        s.Client,
        s.CreatedAt,
        s.FinishedAt,
        s.SampleRate,
        s.Audio,
    };

    private static SynthesisRecord NewSynthesis(Voice? voice) => new()
    {
        RequestId = "req-" + Guid.NewGuid().ToString("N"),
        Text = "你好，世界。Hello, world!",
        Mode = SynthesisMode.NonStreaming,
        CfgValue = 2.5f,
        InferenceTimesteps = 12,
        Normalize = true,
        Denoise = true,
        RetryBadcase = false,
        Seed = 42,
        PromptText = "reference transcript",
        Voice = voice,
        VoiceId = voice?.Id,
        EntryPoint = EntryPoint.RawWebSocket,
        Status = SynthesisStatus.Completed,
        QueueWaitMs = 3,
        TimeToFirstAudioMs = 180,
        TotalMs = 950,
        AudioSeconds = 2.25,
        Rtf = 0.42,
        ErrorCode = "none",
        ErrorMessage = "no error, just checking the column",
        Client = "127.0.0.1",
        CreatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 8, 840, TimeSpan.Zero),
        SampleRate = 16000,
        Audio = [0x52, 0x49, 0x46, 0x46, 1, 2, 3],
    };
}
