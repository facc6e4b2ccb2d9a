using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.History;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

/// <summary>TTS_HISTORY_MAX_AGE_DAYS / TTS_HISTORY_MAX_ROWS enforced by the recurring Hangfire job on the real database.</summary>
public sealed class HistoryRetentionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Entries_older_than_the_limit_are_deleted_but_never_queued_or_running_ones()
    {
        await using var hub = await StartAsync(maxAgeDays: 30, maxRows: 0);
        var now = DateTimeOffset.UtcNow;
        var old = await AddAsync("age old completed", now.AddDays(-31), SynthesisStatus.Completed);
        var oldFailed = await AddAsync("age old failed", now.AddDays(-100), SynthesisStatus.Failed);
        var oldQueued = await AddAsync("age old queued", now.AddDays(-40), SynthesisStatus.Queued);
        var oldRunning = await AddAsync("age old running", now.AddDays(-35), SynthesisStatus.Running);
        var recent = await AddAsync("age recent", now.AddDays(-29), SynthesisStatus.Completed);

        await new HistoryRetentionJob(hub.Services).RunAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal([oldQueued, oldRunning, recent], await RemainingAsync("age "));
        Assert.DoesNotContain(old, await RemainingAsync("age "));
        Assert.DoesNotContain(oldFailed, await RemainingAsync("age "));
    }

    [Fact]
    public async Task Only_the_newest_rows_are_kept_in_batches_and_unfinished_ones_stay()
    {
        const int keep = 5;
        await using var hub = await StartAsync(maxAgeDays: 0, maxRows: keep);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var ids = new List<Guid>();
        await using (var db = HistoryTestData.Db(database.ConnectionString))
        {
            // More than a batch, so the job has to loop; one old row is still queued.
            for (var i = 0; i < HistoryRetentionJob.BatchSize + 20; i++)
            {
                var row = NewRow($"rows {i}", start.AddSeconds(i), i == 3 ? SynthesisStatus.Queued : SynthesisStatus.Completed);
                db.Syntheses.Add(row);
                ids.Add(row.Id);
            }

            await db.SaveChangesAsync();
        }

        await new HistoryRetentionJob(hub.Services).RunAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal([ids[3], .. ids[^keep..]], await RemainingAsync("rows "));
    }

    [Fact]
    public async Task The_job_is_registered_hourly_on_the_maintenance_queue_and_the_job_server_runs_it()
    {
        await using var hub = await StartAsync(maxAgeDays: 1, maxRows: 0);
        var storage = hub.Services.GetRequiredService<JobStorage>();
        var recurring = await Eventually.MatchesAsync(
            () => Task.FromResult(RecurringJobs(storage).SingleOrDefault(job => job.Id == HistoryRetentionJob.RecurringJobId)),
            job => job is not null);
        Assert.Equal(HistoryRetentionJob.Queue, recurring!.Job.Queue);
        Assert.Equal(Cron.Hourly(), recurring.Cron);
        Assert.Equal(typeof(HistoryRetentionJob), recurring.Job.Type);
        Assert.NotNull(recurring.NextExecution);

        var expired = await AddAsync("server expired", DateTimeOffset.UtcNow.AddDays(-2), SynthesisStatus.Completed);
        hub.Services.GetRequiredService<IRecurringJobManager>().Trigger(HistoryRetentionJob.RecurringJobId);
        await Eventually.MatchesAsync(() => HistoryTestData.FindAsync(database.ConnectionString, expired), row => row is null, TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task Without_limits_the_job_is_not_registered_and_a_stale_registration_is_removed()
    {
        await using (var limited = await StartAsync(maxAgeDays: 7, maxRows: 0))
        {
            await Eventually.MatchesAsync(
                () => Task.FromResult(RecurringJobs(limited.Services.GetRequiredService<JobStorage>()).Any(job => job.Id == HistoryRetentionJob.RecurringJobId)),
                registered => registered);
        }

        await using var unlimited = await StartAsync(maxAgeDays: 0, maxRows: 0);
        await Eventually.MatchesAsync(
            () => Task.FromResult(RecurringJobs(unlimited.Services.GetRequiredService<JobStorage>()).Any(job => job.Id == HistoryRetentionJob.RecurringJobId)),
            registered => !registered);
    }

    private static List<RecurringJobDto> RecurringJobs(JobStorage storage)
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs();
    }

    private async Task<TestHub> StartAsync(int maxAgeDays, int maxRows)
    {
        var settings = TestSettings.With(database.ConnectionString);
        settings["TTS_HISTORY_MAX_AGE_DAYS"] = maxAgeDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["TTS_HISTORY_MAX_ROWS"] = maxRows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hub = await TestHub.StartAsync(settings);
        await hub.WaitForDatabaseAsync();
        return hub;
    }

    private async Task<Guid> AddAsync(string text, DateTimeOffset createdAt, SynthesisStatus status)
    {
        await using var db = HistoryTestData.Db(database.ConnectionString);
        var row = NewRow(text, createdAt, status);
        db.Syntheses.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    private static Data.Entities.SynthesisRecord NewRow(string text, DateTimeOffset createdAt, SynthesisStatus status) => new()
    {
        Id = Guid.CreateVersion7(),
        RequestId = text,
        Text = text,
        Mode = SynthesisMode.NonStreaming,
        EntryPoint = EntryPoint.Http,
        CfgValue = 2,
        InferenceTimesteps = 10,
        Status = status,
        CreatedAt = createdAt,
        SampleRate = status == SynthesisStatus.Completed ? 16000 : null,
        Audio = status == SynthesisStatus.Completed ? WavWriter.ToWavBytes(HistoryTestData.Sine(160, 16000), 16000) : null,
    };

    // The ids of the remaining rows whose text starts with the prefix, oldest first.
    private async Task<List<Guid>> RemainingAsync(string prefix)
    {
        await using var db = HistoryTestData.Db(database.ConnectionString);
        return await db.Syntheses.AsNoTracking()
            .Where(s => s.Text.StartsWith(prefix))
            .OrderBy(s => s.CreatedAt)
            .Select(s => s.Id)
            .ToListAsync()
            .DefaultTimeout();
    }
}
