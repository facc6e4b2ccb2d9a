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
    public static IEndpointRouteBuilder MapVoxCpmTextPlan(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/text/plan", (TextPlanRequest body, Microsoft.Extensions.Options.IOptions<SynthesisOptions> options) =>
        {
            var error = SynthesisRequestValidator.Validate(new SynthesisRequest { Text = body.Text ?? "" }, new SynthesisLimits(options.Value.MaxTextLength));
            if (error is not null)
            {
                return ApiErrors.Error(StatusCodes.Status400BadRequest, error.Code, error.Message, error.Field);
            }

            var segments = TextSegmenter.Split(body.Text!, body.MaxSegmentChars ?? TextSegmenter.DefaultMaxChars);
            return TypedResults.Ok(new TextPlanResponse(
                segments.Count,
                [.. segments.Select(s => new PlannedSegment(s, body.Normalize ? TextNormalizer.Normalize(s) : s, TextNormalizer.DetectLanguage(s)))]));
        })
            .WithName("PlanText")
            .WithTags(Http.ApiDocument.TextTag)
            .WithSummary("What will be spoken, without synthesizing: the segments long text is split into and, with normalize, their normalized words")
            .Produces<TextPlanResponse>()
            .ProducesApiErrors(StatusCodes.Status400BadRequest);
        return endpoints;
    }
}

internal sealed record TextPlanRequest(string? Text, bool Normalize = false, int? MaxSegmentChars = null);

internal sealed record TextPlanResponse(int SegmentCount, IReadOnlyList<PlannedSegment> Segments);

internal sealed record PlannedSegment(string Text, string Spoken, string Language);
