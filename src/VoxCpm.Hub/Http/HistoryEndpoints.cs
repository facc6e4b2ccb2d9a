using System.Globalization;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Data;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Http;

/// <summary>
/// <c>/api/history</c> on both ports: a paged, searchable listing (newest first), one entry, its audio as a WAV
/// download (seekable), an exact re-run as a new job, and deletion.
/// </summary>
internal static class HistoryEndpoints
{
    public const string Route = HistoryRoute.Path;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxPage = 100_000;
    public const int MaxQueryLength = 200;

    // Query parameters are spelled like the JSON: snake_case.
    private const string PageSizeParameter = "page_size";

    public static IEndpointRouteBuilder MapVoxCpmHistory(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Route).WithTags(ApiDocument.HistoryTag);
        group.MapGet("/", ListAsync)
            .WithName("ListHistory")
            .WithSummary("Past syntheses, newest first, paged (page, page_size ≤ 100), searchable by text (q) and filterable by status and mode")
            .Produces<HistoryPage>()
            .ProducesApiErrors(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetHistoryEntry")
            .WithSummary("One history entry: text, every parameter, voice, mode, status, timings and error, without the audio")
            .Produces<HistoryItem>()
            .ProducesApiErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/audio", GetAudioAsync)
            .WithName("GetHistoryAudio")
            .WithSummary("An entry's audio: WAV, or ?format=mp3|opus|aac|flac|wav|pcm (seekable: HTTP Range requests are answered with 206)")
            .ProducesSeekableAudio()
            .ProducesApiErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/rerun", RerunAsync)
            .WithName("RerunHistoryEntry")
            .WithSummary("Synthesize an entry again as a new job, with the same text, parameters, voice and seed")
            .WithDescription("Answers like POST /api/jobs. The re-run is non-streaming (a job) whatever the original's mode; with the original's seed the audio is the same. An entry whose saved voice was deleted since is re-run without it.")
            .Produces<JobAccepted>(StatusCodes.Status202Accepted)
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable);
        group.MapDelete("/{id:guid}", DeleteAsync)
            .WithName("DeleteHistoryEntry")
            .WithSummary("Delete an entry and its audio")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesApiErrors(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(
        string? q, string? status, string? mode, string? page, [FromQuery(Name = PageSizeParameter)] string? pageSize,
        IDbContextFactory<HubDbContext> contexts, CancellationToken cancellationToken)
    {
        if (!TryParse(page, "page", 1, 1, MaxPage, out var pageNumber, out var error) ||
            !TryParse(pageSize, PageSizeParameter, DefaultPageSize, 1, MaxPageSize, out var size, out error))
        {
            return error;
        }

        if (q is { Length: > MaxQueryLength })
        {
            return ApiErrors.BadRequest("q", $"q is {q.Length} characters long; the limit is {MaxQueryLength}");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Syntheses.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = "%" + q.Trim().Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            rows = rows.Where(s => EF.Functions.ILike(s.Text, pattern, "\\"));
        }

        if (!string.IsNullOrEmpty(status))
        {
            if (!EnumText.TryParse<SynthesisStatus>(status, out var wanted))
            {
                return ApiErrors.BadRequest("status", $"status must be one of {string.Join(", ", EnumText.Names<SynthesisStatus>())} (got '{status}')");
            }

            rows = rows.Where(s => s.Status == wanted);
        }

        if (!string.IsNullOrEmpty(mode))
        {
            if (!EnumText.TryParse<SynthesisMode>(mode, out var wanted))
            {
                return ApiErrors.BadRequest("mode", $"mode must be one of {string.Join(", ", EnumText.Names<SynthesisMode>())} (got '{mode}')");
            }

            rows = rows.Where(s => s.Mode == wanted);
        }

        var total = await rows.CountAsync(cancellationToken);
        var views = await rows
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip((pageNumber - 1) * size).Take(size)
            .Select(s_view)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new HistoryPage(views.Select(v => v.ToItem()).ToList(), pageNumber, size, total));
    }

    private static async Task<IResult> GetAsync(Guid id, IDbContextFactory<HubDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var view = await db.Syntheses.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s_view)
            .SingleOrDefaultAsync(cancellationToken);
        return view is null ? NotFound(id) : TypedResults.Ok(view.ToItem());
    }

    private static async Task<IResult> GetAudioAsync(Guid id, string? format, IDbContextFactory<HubDbContext> contexts, FfmpegTool ffmpeg, CancellationToken cancellationToken)
    {
        var (outputFormat, badFormat) = AudioDownload.Parse(format, "format", ffmpeg);
        if (badFormat is not null)
        {
            return badFormat;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var audio = await db.Syntheses.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new { s.Audio })
            .SingleOrDefaultAsync(cancellationToken);
        if (audio is null)
        {
            return NotFound(id);
        }

        return audio.Audio is null
            ? ApiErrors.NotFound($"synthesis {id} has no audio (it did not complete)")
            : await AudioDownload.FileAsync(audio.Audio, outputFormat, $"synthesis-{id}", ffmpeg, cancellationToken);
    }

    private static async Task<IResult> RerunAsync(
        Guid id, HttpContext http, ISynthesisJobs jobs, IDbContextFactory<HubDbContext> contexts, CancellationToken cancellationToken)
    {
        SynthesisRequest? request;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            request = await db.Syntheses.AsNoTracking()
                .Where(s => s.Id == id)
                .Select(HistoryRows.ToRequest)
                .SingleOrDefaultAsync(cancellationToken);
        }

        if (request is null)
        {
            return NotFound(id);
        }

        try
        {
            var context = new SynthesisContext(EntryPoint.Http, $"rerun-{id:N}", http.Connection.RemoteIpAddress?.ToString());
            return JobAccepted.For(await jobs.EnqueueAsync(request, context, cancellationToken));
        }
        catch (SynthesisRejectedException ex)
        {
            return ApiErrors.Error(ApiErrors.StatusFor(ex.Code), ex.Code, ex.Message, ex.Field);
        }
    }

    private static async Task<IResult> DeleteAsync(Guid id, IDbContextFactory<HubDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.Syntheses.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NotFound(id) : Results.NoContent();
    }

    private static IResult NotFound(Guid id) => ApiErrors.NotFound($"no synthesis {id} in history");

    // Every column but the audio (megabytes per row); EF translates the initializer into a column list.
    private static readonly Expression<Func<Data.Entities.SynthesisRecord, HistoryRowView>> s_view = s => new HistoryRowView(
        new Data.Entities.SynthesisRecord
        {
            Id = s.Id,
            RequestId = s.RequestId,
            Text = s.Text,
            Mode = s.Mode,
            CfgValue = s.CfgValue,
            InferenceTimesteps = s.InferenceTimesteps,
            Normalize = s.Normalize,
            Denoise = s.Denoise,
            RetryBadcase = s.RetryBadcase,
            Seed = s.Seed,
            PromptText = s.PromptText,
            PromptWavUrl = s.PromptWavUrl,
            VoiceId = s.VoiceId,
            VoiceDescription = s.VoiceDescription,
            ReferenceWavUrl = s.ReferenceWavUrl,
            EntryPoint = s.EntryPoint,
            Status = s.Status,
            QueueWaitMs = s.QueueWaitMs,
            TimeToFirstAudioMs = s.TimeToFirstAudioMs,
            TotalMs = s.TotalMs,
            AudioSeconds = s.AudioSeconds,
            Rtf = s.Rtf,
            ErrorCode = s.ErrorCode,
            ErrorMessage = s.ErrorMessage,
            Client = s.Client,
            JobId = s.JobId,
            CreatedAt = s.CreatedAt,
            FinishedAt = s.FinishedAt,
            SampleRate = s.SampleRate,
            Segments = s.Segments,
            Attempts = s.Attempts,
            Warnings = s.Warnings,
        },
        s.Audio != null);

    private static bool TryParse(string? text, string field, int fallback, int min, int max, out int value, out IResult error)
    {
        error = Results.Empty;
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        error = ApiErrors.BadRequest(field, $"{field} must be an integer between {min} and {max} (got '{text}')");
        return false;
    }
}
