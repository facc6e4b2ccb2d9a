using VoxCpm.Audio.Codecs.Opus;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Audio;

/// <summary>
/// One request's audio as Opus on the real-time wire (raw /tts frames, SignalR <c>audio</c> items): each chunk becomes
/// the 20 ms packets it completes. A receiver decodes every packet in order, drops the first <see cref="PreSkip"/>
/// decoded samples, and keeps as many samples as the frames' <see cref="OpusChunk.Samples"/> add up to, which is
/// the PCM's length (at <see cref="SampleRate"/>): padding of the last packet is never played.
/// </summary>
internal sealed class OpusWireEncoder(int modelSampleRate) : IDisposable
{
    private readonly OpusPacketEncoder _encoder = new(modelSampleRate);
    private readonly List<byte[]> _packets = [];
    private long _announced;

    /// <summary>The rate the packets decode at: the model's when Opus has it (16 kHz), else 48 kHz.</summary>
    public int SampleRate => _encoder.SampleRate;

    public int PreSkip => _encoder.PreSkip;

    /// <summary>An encoder for this request, or null when it asked for PCM16 (the default).</summary>
    public static OpusWireEncoder? For(SynthesisRequest request, int modelSampleRate) =>
        WireAudioFormats.IsOpus(request.AudioFormat) ? new OpusWireEncoder(modelSampleRate) : null;

    /// <summary>The packets <paramref name="samples"/> complete; with <paramref name="final"/> the stream is flushed to its end.</summary>
    public OpusChunk Encode(ReadOnlySpan<float> samples, bool final)
    {
        _packets.Clear();
        _encoder.Encode(samples, _packets);
        if (final)
        {
            _encoder.Flush(_packets);
        }

        var sizes = new int[_packets.Count];
        var payload = new byte[_packets.Sum(p => p.Length)];
        int offset = 0;
        for (int i = 0; i < _packets.Count; i++)
        {
            sizes[i] = _packets[i].Length;
            _packets[i].CopyTo(payload, offset);
            offset += sizes[i];
        }

        long completed = _encoder.CompletedSamples;
        var chunk = new OpusChunk(payload, sizes, (int)(completed - _announced));
        _announced = completed;
        return chunk;
    }

    public void Dispose() => _encoder.Dispose();
}

/// <summary>Opus packets laid end to end (<see cref="PacketSizes"/> splits them) and the samples they complete.</summary>
internal sealed record OpusChunk(byte[] Payload, int[] PacketSizes, int Samples);
