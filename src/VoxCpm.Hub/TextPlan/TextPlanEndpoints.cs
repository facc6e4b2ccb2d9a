using System.Text.Json;
using Microsoft.Extensions.Options;
using VoxCpm.Engine.Text;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Http;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.TextPlan;

/// <summary>
/// <c>POST /api/text/plan</c>: what will be spoken, without synthesizing — the segments long text is split into
/// (exactly as the engine splits it) and, with <c>normalize</c>, each segment's normalized words.
/// </summary>
internal static class TextPlanEndpoints
{
    public const string Path = "/api/text/plan";

    // TextSegmenter.Split refuses shorter segments: a sentence could not be kept whole in fewer characters.
    public const int MinSegmentChars = 8;

    public static IEndpointRouteBuilder MapVoxCpmTextPlan(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, PlanAsync)
            .WithName("PlanText")
            .WithTags(ApiDocument.TextTag)
            .WithSummary("What will be spoken, without synthesizing: the segments long text is split into and, with normalize, their normalized words")
            .Accepts<TextPlanRequest>("application/json")
            .Produces<TextPlanResponse>()
            .ProducesApiErrors(StatusCodes.Status400BadRequest);
        return endpoints;
    }

    private static async Task<IResult> PlanAsync(HttpRequest request, IOptions<SynthesisOptions> options, CancellationToken cancellationToken)
    {
        TextPlanRequest? body;
        try
        {
            // The API's own JSON options (snake_case: max_segment_chars), as every /api answer is written.
            body = await request.ReadFromJsonAsync<TextPlanRequest>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return ApiErrors.Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson,
                $"the body must be a JSON object such as {{\"text\":\"…\",\"normalize\":true}}: {e.Message}",
                (e as JsonException)?.Path?.TrimStart('$', '.') is { Length: > 0 } field ? field : null);
        }

        var text = body?.Text ?? "";
        if (SynthesisRequestValidator.Validate(new SynthesisRequest { Text = text }, new SynthesisLimits(options.Value.MaxTextLength)) is { } error)
        {
            return ApiErrors.Error(StatusCodes.Status400BadRequest, error.Code, error.Message, error.Field);
        }

        if (body!.MaxSegmentChars is { } max && max < MinSegmentChars)
        {
            return ApiErrors.BadRequest("max_segment_chars", $"max_segment_chars must be at least {MinSegmentChars} (got {max})");
        }

        var segments = TextSegmenter.Split(text, body.MaxSegmentChars ?? TextSegmenter.DefaultMaxChars);
        return TypedResults.Ok(new TextPlanResponse(
            segments.Count,
            [.. segments.Select(s => new PlannedSegment(s, body.Normalize ? TextNormalizer.Normalize(s) : s, TextNormalizer.DetectLanguage(s)))]));
    }
}

internal sealed record TextPlanRequest(string? Text, bool Normalize = false, int? MaxSegmentChars = null);

internal sealed record TextPlanResponse(int SegmentCount, IReadOnlyList<PlannedSegment> Segments);

internal sealed record PlannedSegment(string Text, string Spoken, string Language);
