using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using Row = VoxCpm.Hub.Data.Entities.SynthesisRecord;

namespace VoxCpm.Hub.History;

/// <summary>
/// How each event changes a history row. Every event tolerates arriving out of order (a spill replayed late, a
/// row written by another node): an event for a missing row creates it, and <c>Accepted</c> fills in the request
/// without moving the status back, so replays and job retries converge on the same row.
/// </summary>
internal static class HistoryRows
{
    private const int ClientMaxLength = 256;
    private const int ErrorCodeMaxLength = 64;

    public static Row NewStub(HistoryEvent e) => new()
    {
        Id = e.SynthesisId,
        RequestId = e.RequestId ?? "",
        Text = "",
        CreatedAt = e.At,
    };

    /// <summary>A row for a request accepted right now (jobs write it before they answer).</summary>
    public static Row NewAccepted(Guid id, SynthesisRequest request, SynthesisContext context, DateTimeOffset at)
    {
        var row = new Row { Id = id, RequestId = "", Text = "", CreatedAt = at };
        FillRequest(row, request, context.Origin, context.RequestId, context.Client, voiceExists: true);
        return row;
    }

    /// <summary>The request a row records, as a re-run submits it again (EF translates this into a column list).</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Row, SynthesisRequest>> ToRequest = row => new SynthesisRequest
    {
        Text = row.Text,
        Mode = row.Mode,
        CfgValue = row.CfgValue,
        InferenceTimesteps = row.InferenceTimesteps,
        Normalize = row.Normalize,
        Denoise = row.Denoise,
        RetryBadcase = row.RetryBadcase,
        Seed = row.Seed,
        PromptText = row.PromptText,
        PromptWavUrl = row.PromptWavUrl,
        VoiceId = row.VoiceId,
        VoiceDescription = row.VoiceDescription,
        ReferenceWavUrl = row.ReferenceWavUrl,
    };

    public static void Apply(Row row, HistoryEvent e, bool voiceExists)
    {
        switch (e.Kind)
        {
            case HistoryEventKind.Accepted when e.Request is not null:
                FillRequest(row, e.Request, e.Origin, e.RequestId ?? row.RequestId, e.Client, voiceExists);
                row.CreatedAt = e.At;
                break;
            case HistoryEventKind.Started:
                row.Status = SynthesisStatus.Running;
                row.QueueWaitMs = ToMs(e.QueueWaitMs);
                row.ErrorCode = null;
                row.ErrorMessage = null;
                row.FinishedAt = null;
                break;
            case HistoryEventKind.Completed:
                row.Status = SynthesisStatus.Completed;
                row.QueueWaitMs = ToMs(e.QueueWaitMs) ?? row.QueueWaitMs;
                row.TimeToFirstAudioMs = ToMs(e.TimeToFirstAudioMs);
                row.TotalMs = ToMs(e.TotalMs);
                row.AudioSeconds = e.AudioSeconds;
                row.Rtf = e.Rtf;
                row.SampleRate = e.SampleRate;
                row.Segments = e.Segments;
                row.Attempts = e.Attempts;
                row.Warnings = e.Warnings is null ? null : [.. e.Warnings];
                row.Audio = e.Wav;
                row.ErrorCode = null;
                row.ErrorMessage = null;
                row.FinishedAt = e.At;
                break;
            case HistoryEventKind.TextStreamed:
                row.Text = e.Text ?? row.Text;
                row.TextPieces = e.TextPieces is null ? null : [.. e.TextPieces];
                break;
            case HistoryEventKind.Failed:
                row.Status = e.ErrorCode == ErrorCodes.Cancelled ? SynthesisStatus.Cancelled : SynthesisStatus.Failed;
                row.ErrorCode = Truncate(e.ErrorCode, ErrorCodeMaxLength);
                row.ErrorMessage = e.ErrorMessage;
                row.TotalMs ??= (int)Math.Max(0, (e.At - row.CreatedAt).TotalMilliseconds);
                row.FinishedAt = e.At;
                break;
        }
    }

    private static void FillRequest(Row row, SynthesisRequest request, EntryPoint origin, string requestId, string? client, bool voiceExists)
    {
        row.RequestId = Truncate(requestId, SynthesisDefaults.MaxRequestIdLength) ?? "";
        row.Text = request.Text;
        row.Mode = request.Mode;
        row.CfgValue = (float)request.CfgValue;
        row.InferenceTimesteps = request.InferenceTimesteps;
        row.Normalize = request.Normalize;
        row.Denoise = request.Denoise;
        row.RetryBadcase = request.RetryBadcase;
        row.Seed = request.Seed;
        row.PromptText = request.PromptText;
        row.PromptWavUrl = Truncate(request.PromptWavUrl, SynthesisDefaults.MaxUrlLength);
        // A voice deleted since the request was made leaves the reference empty rather than failing the row.
        row.VoiceId = voiceExists ? request.VoiceId : null;
        row.VoiceDescription = request.VoiceDescription;
        row.ReferenceWavUrl = Truncate(request.ReferenceWavUrl, SynthesisDefaults.MaxUrlLength);
        row.EntryPoint = origin;
        row.Client = Truncate(client, ClientMaxLength);
    }

    private static int? ToMs(double? milliseconds) =>
        milliseconds is { } value ? (int)Math.Clamp(Math.Round(value), 0, int.MaxValue) : null;

    private static string? Truncate(string? text, int max) =>
        text is { Length: var length } && length > max ? text[..max] : text;
}
