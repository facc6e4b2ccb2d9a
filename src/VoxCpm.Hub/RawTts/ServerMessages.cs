using System.Text.Json;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.RawTts;

/// <summary>The JSON server messages of PROTOCOL.md ("Server → client"), field for field.</summary>
internal static class ServerMessages
{
    public static Outbound Queued(MessageBuilder b, string requestId, int position)
    {
        var w = b.BeginObject();
        w.WriteString("type", "queued");
        w.WriteString("request_id", requestId);
        w.WriteNumber("position", position);
        w.WriteNumber("protocol_version", RawTtsLimits.ProtocolVersion);
        return b.EndText();
    }

    public static Outbound Started(MessageBuilder b, string requestId, TimeSpan queueWait)
    {
        var w = b.BeginObject();
        w.WriteString("type", "started");
        w.WriteString("request_id", requestId);
        w.WriteNumber("queue_wait_ms", Milliseconds(queueWait));
        return b.EndText();
    }

    public static Outbound Progress(MessageBuilder b, string requestId, double progress, int steps, double audioSeconds, TimeSpan elapsed)
    {
        var w = b.BeginObject();
        w.WriteString("type", "progress");
        w.WriteString("request_id", requestId);
        w.WriteNumber("progress", Math.Round(progress, 4));
        w.WriteNumber("steps", steps);
        w.WriteNumber("audio_seconds", Math.Round(audioSeconds, 3));
        w.WriteNumber("elapsed_ms", Milliseconds(elapsed));
        return b.EndText();
    }

    public static Outbound Complete(MessageBuilder b, string requestId, SynthesisSummary summary, int chunks, SynthesisMode mode, Guid synthesisId)
    {
        var w = b.BeginObject();
        w.WriteString("type", "complete");
        w.WriteString("request_id", requestId);
        w.WriteNumber("duration", Math.Round(summary.AudioSeconds, 3));
        w.WriteNumber("sample_rate", summary.SampleRate);
        w.WriteNumber("chunks", chunks);
        w.WriteNumber("samples", summary.Samples);
        w.WriteString("mode", mode == SynthesisMode.Streaming ? "streaming" : "non_streaming");
        w.WriteString("stop_reason", summary.StopReason);
        w.WriteNumber("attempts", summary.Attempts);
        w.WriteNumber("segments", summary.Segments);
        w.WriteStartArray("warnings");
        foreach (var warning in summary.Warnings ?? [])
        {
            w.WriteStringValue(warning);
        }

        w.WriteEndArray();
        w.WriteStartObject("timing");
        w.WriteNumber("queue_wait_ms", Milliseconds(summary.QueueWait));
        if (summary.TimeToFirstAudio is { } firstAudio)
        {
            w.WriteNumber("time_to_first_audio_ms", Milliseconds(firstAudio));
        }
        else
        {
            w.WriteNull("time_to_first_audio_ms");
        }

        w.WriteNumber("total_ms", Milliseconds(summary.Total));
        w.WriteNumber("rtf", Math.Round(summary.RealTimeFactor, 4));
        w.WriteEndObject();
        w.WriteString("synthesis_id", synthesisId);
        return b.EndText();
    }

    public static Outbound Error(MessageBuilder b, string? requestId, ProtocolError error)
    {
        var w = b.BeginObject();
        w.WriteString("type", "error");
        if (requestId is null)
        {
            w.WriteNull("request_id");
        }
        else
        {
            w.WriteString("request_id", requestId);
        }

        w.WriteStartObject("error");
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        if (error.Field is { } field)
        {
            w.WriteString("field", field);
        }

        w.WriteEndObject();
        return b.EndText();
    }

    public static Outbound Pong(MessageBuilder b, JsonElement? timestamp)
    {
        var w = b.BeginObject();
        w.WriteString("type", "pong");
        if (timestamp is { } echoed)
        {
            w.WritePropertyName("timestamp");
            echoed.WriteTo(w);
        }

        w.WriteNumber("server_time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return b.EndText();
    }

    private static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 1);
}
