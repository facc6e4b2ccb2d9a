using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using VoxCpm.Hub.Data;

namespace VoxCpm.Hub.History;

/// <summary>
/// The one writer of history rows: reads <see cref="SynthesisRecorder"/>'s queue, writes small batches in one
/// transaction each and, while PostgreSQL is down, retries the same batch with exponential backoff (the queue and
/// then the spill absorb what arrives meanwhile). When the queue is empty it replays spilled events, oldest first.
/// On stop it gives the database <see cref="HistoryOptions.StopDrainTimeout"/> to take the rest, then spills it.
/// </summary>
internal sealed partial class HistoryWriter(
    SynthesisRecorder recorder,
    IDbContextFactory<HubDbContext> contexts,
    IOptions<HistoryOptions> options,
    TimeProvider time,
    ILogger<HistoryWriter> logger) : BackgroundService
{
    private readonly HistoryOptions _options = options.Value;
    private readonly List<HistoryEvent> _batch = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var queue = recorder.Queue;
        while (!stoppingToken.IsCancellationRequested)
        {
            while (_batch.Count < _options.BatchSize && queue.TryRead(out var next))
            {
                _batch.Add(next);
            }

            if (_batch.Count > 0)
            {
                await WriteWithRetryAsync(_batch, stoppingToken);
                _batch.Clear();
                continue;
            }

            if (recorder.IsSpilling)
            {
                // An empty spill ends spill mode, unless a producer appended meanwhile: then replay again.
                if (!await ReplaySpillAsync(stoppingToken))
                {
                    recorder.TryEndSpilling();
                }

                continue;
            }

            await queue.WaitToReadAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        recorder.StopQueueing();
        var rest = new List<HistoryEvent>(_batch);
        while (recorder.Queue.TryRead(out var next))
        {
            rest.Add(next);
        }

        if (rest.Count == 0)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(_options.StopDrainTimeout);
        try
        {
            while (rest.Count > 0)
            {
                var chunk = rest.Take(_options.BatchSize).ToList();
                await WriteWithRetryAsync(chunk, deadline.Token);
                rest.RemoveRange(0, chunk.Count);
            }
        }
        catch (OperationCanceledException)
        {
            LogSpillingAtStop(logger, rest.Count, recorder.Spill.Folder);
            foreach (var e in rest)
            {
                recorder.SpillNow(e);
            }
        }
    }

    /// <summary>Writes one batch of spilled events; false when the spill is empty.</summary>
    private async Task<bool> ReplaySpillAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Path, HistoryEvent Event)> spilled;
        try
        {
            spilled = await recorder.Spill.ReadOldestAsync(_options.BatchSize, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            LogSpillUnreadable(logger, recorder.Spill.Folder, ex);
            await Task.Delay(_options.MaxRetryDelay, time, cancellationToken);
            return true;
        }

        if (spilled.Count == 0)
        {
            return false;
        }

        await WriteWithRetryAsync(spilled.Select(s => s.Event).ToList(), cancellationToken);
        HistorySpill.Delete(spilled.Select(s => s.Path));
        LogReplayed(logger, spilled.Count);
        return true;
    }

    private async Task WriteWithRetryAsync(List<HistoryEvent> events, CancellationToken cancellationToken)
    {
        var delay = _options.FirstRetryDelay;
        var failures = 0;
        while (true)
        {
            try
            {
                await WriteBatchAsync(events, cancellationToken);
                if (failures > 0)
                {
                    LogRecovered(logger, failures, events.Count);
                }

                return;
            }
            catch (Exception ex) when (IsBadData(ex))
            {
                // One bad event must not hold back the others: write them one by one and log the one refused.
                await WriteOneByOneAsync(events, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures++;
                LogWriteFailed(logger, events.Count, delay.TotalSeconds, ex.Message);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    private async Task WriteOneByOneAsync(IEnumerable<HistoryEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            try
            {
                await WriteBatchAsync([e], cancellationToken);
            }
            catch (Exception ex) when (IsBadData(ex))
            {
                LogEventRefused(logger, e.Kind, e.SynthesisId, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<HistoryEvent> events, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = events.Select(e => e.SynthesisId).Distinct().ToList();
        var rows = await db.Syntheses.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var voiceIds = events.Select(e => e.Request?.VoiceId).OfType<Guid>().Distinct().ToList();
        var voices = voiceIds.Count == 0
            ? []
            : (await db.Voices.Where(v => voiceIds.Contains(v.Id)).Select(v => v.Id).ToListAsync(cancellationToken)).ToHashSet();

        foreach (var e in events)
        {
            if (!rows.TryGetValue(e.SynthesisId, out var row))
            {
                row = HistoryRows.NewStub(e);
                db.Syntheses.Add(row);
                rows.Add(row.Id, row);
            }

            HistoryRows.Apply(row, e, e.Request?.VoiceId is { } voiceId && voices.Contains(voiceId));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    // Class 22 (data exception) and 23 (integrity violation): retrying the same rows cannot succeed.
    private static bool IsBadData(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is PostgresException postgres)
            {
                return postgres.SqlState.StartsWith("22", StringComparison.Ordinal) || postgres.SqlState.StartsWith("23", StringComparison.Ordinal);
            }
        }

        return false;
    }
}
