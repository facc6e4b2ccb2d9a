using VoxCpm.Hub.Contracts;
using Row = VoxCpm.Hub.Data.Entities.SynthesisRecord;

namespace VoxCpm.Hub.History;

/// <summary>One history entry as the API shows it: everything but the audio, which has its own URL.</summary>
internal sealed record HistoryItem(
    Guid Id,
    string RequestId,
    string Text,
    string Mode,
    string EntryPoint,
    string Status,
    HistoryParameters Parameters,
    int? QueueWaitMs,
    int? TimeToFirstAudioMs,
    int? TotalMs,
    double? AudioSeconds,
    double? Rtf,
    string? ErrorCode,
    string? ErrorMessage,
    string? Client,
    string? JobId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    int? SampleRate,
    string? AudioUrl,
    int? Segments,
    int? Attempts,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string>? TextPieces = null);

internal sealed record HistoryParameters(
    double CfgValue,
    int InferenceTimesteps,
    bool Normalize,
    bool Denoise,
    bool RetryBadcase,
    long? Seed,
    string? PromptText,
    string? PromptWavUrl,
    Guid? VoiceId,
    string? VoiceDescription,
    string? ReferenceWavUrl);

internal sealed record HistoryPage(IReadOnlyList<HistoryItem> Items, int Page, int PageSize, int Total);

/// <summary>The columns a listing reads (never the audio itself).</summary>
internal sealed record HistoryRowView(Row Row, bool HasAudio)
{
    public HistoryItem ToItem() => new(
        Row.Id,
        Row.RequestId,
        Row.Text,
        EnumText.Of(Row.Mode),
        EnumText.Of(Row.EntryPoint),
        EnumText.Of(Row.Status),
        new HistoryParameters(
            Math.Round(Row.CfgValue, 4),
            Row.InferenceTimesteps,
            Row.Normalize,
            Row.Denoise,
            Row.RetryBadcase,
            Row.Seed,
            Row.PromptText,
            Row.PromptWavUrl,
            Row.VoiceId,
            Row.VoiceDescription,
            Row.ReferenceWavUrl),
        Row.QueueWaitMs,
        Row.TimeToFirstAudioMs,
        Row.TotalMs,
        Row.AudioSeconds,
        Row.Rtf,
        Row.ErrorCode,
        Row.ErrorMessage,
        Row.Client,
        Row.JobId,
        Row.CreatedAt,
        Row.FinishedAt,
        Row.SampleRate,
        HasAudio ? $"{HistoryRoute.Path}/{Row.Id}/audio" : null,
        Row.Segments,
        Row.Attempts,
        Row.Warnings ?? [],
        Row.TextPieces);
}
