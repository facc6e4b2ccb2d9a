using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;
using SynthesisContext = VoxCpm.Hub.Requests.SynthesisContext;

namespace VoxCpm.Hub.Tests.History;

/// <summary>PostgreSQL is unreachable while syntheses happen; when it comes back, history catches up with all of them.</summary>
public sealed class HistoryOutageTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Theory]
    [InlineData(10_000)] // everything waits in memory
    [InlineData(5)] // the queue overflows: the rest spills to disk and is replayed in order
    public async Task Rows_recorded_while_the_database_is_down_are_written_when_it_returns(int queueCapacity)
    {
        var port = TcpForwarder.FreePort();
        var (connection, target) = HistoryTestData.Through(database.ConnectionString, port);
        await using var forwarder = new TcpForwarder(port, target);
        var logs = new CapturedLogs();
        await using var hub = await TestHub.StartAsync(
            TestSettings.With(connection),
            services => services.AddSingleton<ILoggerProvider>(logs).Configure<HistoryOptions>(options => options.QueueCapacity = queueCapacity));
        var recorder = hub.Services.GetRequiredService<ISynthesisRecorder>();

        var ids = Enumerable.Range(0, 12).Select(_ => Guid.CreateVersion7()).ToList();
        var audio = HistoryTestData.Sine(1600, 16000);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var request = new SynthesisRequest { Text = $"outage {queueCapacity} #{i}" };
            recorder.Accepted(id, request, new SynthesisContext(EntryPoint.Http, $"r{i}"), DateTimeOffset.UtcNow);
            recorder.Started(id, TimeSpan.FromMilliseconds(i));
            recorder.Completed(id, HistoryTestData.Summary(16000, audio.Length), audio, 16000, DateTimeOffset.UtcNow);
        }

        // The calls returned at once although nothing can be written; the writer fails and retries a few times.
        await Eventually.MatchesAsync(() => Task.FromResult(logs.Count("HistoryWriteFailed")), failures => failures >= 2);
        if (queueCapacity < 36)
        {
            await Eventually.MatchesAsync(
                () => Task.FromResult(Directory.EnumerateFiles(hub.SpillDirectory, "*.json").Any()), spilled => spilled);
        }

        await forwarder.StartAsync();
        await hub.WaitForDatabaseAsync();
        var rows = await Eventually.MatchesAsync(
            async () =>
            {
                await using var db = HistoryTestData.Db(database.ConnectionString);
                return await db.Syntheses.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync();
            },
            rows => rows.Count == ids.Count && rows.All(r => r.Status == SynthesisStatus.Completed));
        Assert.All(rows, row =>
        {
            Assert.StartsWith($"outage {queueCapacity} #", row.Text, StringComparison.Ordinal);
            Assert.Equal(16000, row.SampleRate);
            Assert.NotNull(row.Audio);
        });
        await Eventually.MatchesAsync(
            () => Task.FromResult(Directory.EnumerateFiles(hub.SpillDirectory, "*.json").Count()), count => count == 0);
    }

    [Fact]
    public async Task Events_left_when_the_hub_stops_with_the_database_down_are_written_by_the_next_start()
    {
        var port = TcpForwarder.FreePort();
        var (connection, target) = HistoryTestData.Through(database.ConnectionString, port);
        var spill = Path.Combine(Path.GetTempPath(), "voxcpm-test-spill-" + Guid.NewGuid().ToString("N"));
        var id = Guid.CreateVersion7();
        await using (var down = await TestHub.StartAsync(
            TestSettings.With(connection), services => services.Configure<HistoryOptions>(o => o.StopDrainTimeout = TimeSpan.FromMilliseconds(300)), spill))
        {
            var recorder = down.Services.GetRequiredService<ISynthesisRecorder>();
            recorder.Accepted(id, new SynthesisRequest { Text = "kept across a restart" }, new SynthesisContext(EntryPoint.Job, "j"), DateTimeOffset.UtcNow);
            recorder.Failed(id, ErrorCodes.SynthesisFailed, "engine fault", DateTimeOffset.UtcNow);
        }

        Assert.NotEmpty(Directory.EnumerateFiles(spill, "*.json"));
        await using var up = await TestHub.StartAsync(TestSettings.With(database.ConnectionString), spillDirectory: spill);
        var row = await Eventually.MatchesAsync(
            () => HistoryTestData.FindAsync(database.ConnectionString, id), row => row?.Status == SynthesisStatus.Failed);
        Assert.Equal("kept across a restart", row!.Text);
        Assert.Equal("engine fault", row.ErrorMessage);
    }
}
