using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;
using VoxCpm.Hub.Audio;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// Builds outgoing messages into pooled buffers, reusing one JSON writer: text messages, and binary audio frames
/// laid out exactly as PROTOCOL.md ("Binary audio frames"). Not thread-safe: one per request (or per call site).
/// </summary>
internal sealed class MessageBuilder : IDisposable
{
    public const byte FrameVersion = RawTtsLimits.ProtocolVersion;
    public const byte StreamingChunk = 1;
    public const byte CompleteAudio = 2;
    private const int HeaderBytes = 8;
    private const int PayloadLengthBytes = 4;

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    public MessageBuilder() => _json = new Utf8JsonWriter(_buffer);

    /// <summary>Starts a JSON object; write its fields, then call <see cref="EndText"/>.</summary>
    public Utf8JsonWriter BeginObject()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        return _json;
    }

    public Outbound EndText()
    {
        _json.WriteEndObject();
        _json.Flush();
        var written = _buffer.WrittenSpan;
        var rented = ArrayPool<byte>.Shared.Rent(written.Length);
        written.CopyTo(rented);
        return new Outbound(rented, written.Length, WebSocketMessageType.Text);
    }

    /// <summary>
    /// The Opus form of a binary frame (audio_format "opus"): the same header and layout, metadata naming the codec,
    /// the packet sizes and the pre-skip, payload the packets end to end (PROTOCOL.md "Opus audio").
    /// </summary>
    public Outbound OpusFrame(byte type, string requestId, int sequence, OpusWireEncoder encoder, OpusChunk chunk, bool isLast, int? step)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(chunk);
        var w = BeginObject();
        w.WriteString("request_id", requestId);
        w.WriteNumber("sequence", sequence);
        w.WriteNumber("sample_rate", encoder.SampleRate);
        w.WriteNumber("channels", 1);
        w.WriteString("format", "opus");
        w.WriteNumber("samples", chunk.Samples);
        w.WriteNumber("pre_skip", encoder.PreSkip);
        w.WriteStartArray("packets");
        foreach (var size in chunk.PacketSizes)
        {
            w.WriteNumberValue(size);
        }

        w.WriteEndArray();
        w.WriteBoolean("is_last", isLast);
        if (step is { } steps)
        {
            w.WriteNumber("step", steps);
        }

        var frame = Frame(type, isLast, chunk.Payload.Length, out int payloadStart);
        chunk.Payload.CopyTo(frame.Buffer.AsSpan(payloadStart));
        return frame;
    }

    /// <summary>One binary frame: header, metadata JSON, payload length, PCM16 little-endian samples.</summary>
    public Outbound AudioFrame(byte type, string requestId, int sequence, int sampleRate, ReadOnlySpan<float> samples, bool isLast, int? step)
    {
        var w = BeginObject();
        w.WriteString("request_id", requestId);
        w.WriteNumber("sequence", sequence);
        w.WriteNumber("sample_rate", sampleRate);
        w.WriteNumber("channels", 1);
        w.WriteString("format", "pcm_s16le");
        w.WriteNumber("samples", samples.Length);
        w.WriteBoolean("is_last", isLast);
        if (step is { } steps)
        {
            w.WriteNumber("step", steps);
        }

        var frame = Frame(type, isLast, samples.Length * 2, out int payloadStart);
        WavWriter.ConvertToPcm16(samples, frame.Buffer.AsSpan(payloadStart, samples.Length * 2));
        return frame;
    }

    /// <summary>A frame with the metadata written so far; its payload (<paramref name="payloadLength"/> bytes from <paramref name="payloadStart"/>) is the caller's to fill.</summary>
    private Outbound Frame(byte type, bool isLast, int payloadLength, out int payloadStart)
    {
        var w = _json;
        w.WriteEndObject();
        w.Flush();
        var metadata = _buffer.WrittenSpan;

        // The seed's client reads the samples as new Int16Array(buffer, 12 + M, …), which needs an even offset: an odd
        // metadata length is padded with a space, which JSON ignores.
        var metadataLength = metadata.Length + (metadata.Length & 1);
        var total = HeaderBytes + metadataLength + PayloadLengthBytes + payloadLength;
        var frame = ArrayPool<byte>.Shared.Rent(total);
        var span = frame.AsSpan(0, total);
        span[0] = FrameVersion;
        span[1] = isLast ? (byte)1 : (byte)0;
        span[2] = type;
        span[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)metadataLength);
        metadata.CopyTo(span[HeaderBytes..]);
        if (metadataLength != metadata.Length)
        {
            span[HeaderBytes + metadata.Length] = (byte)' ';
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[(HeaderBytes + metadataLength)..], (uint)payloadLength);
        payloadStart = HeaderBytes + metadataLength + PayloadLengthBytes;
        return new Outbound(frame, total, WebSocketMessageType.Binary);
    }

    public void Dispose() => _json.Dispose();
}
