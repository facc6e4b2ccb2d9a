using System.Buffers.Binary;
using VoxCpm.Audio.Codecs.Ogg;

namespace VoxCpm.Audio.Codecs.Opus;

/// <summary>
/// An Ogg Opus stream (RFC 7845) built as audio arrives: <see cref="Start"/> gives the two header pages, each
/// <see cref="Append"/> a page of the packets that chunk completed (possibly nothing), <see cref="Finish"/> the
/// last page, whose granule position tells a decoder exactly where the audio ends. Mono; granule positions count
/// 48 kHz samples as the format requires, whatever rate the encoder runs at.
/// </summary>
public sealed class OggOpusWriter : IDisposable
{
    private const string Vendor = "VoxCpm.Hub (Concentus)";

    private readonly OpusPacketEncoder _encoder;
    private readonly OggPageWriter _pages = new((uint)Random.Shared.Next());
    private readonly List<byte[]> _packets = [];
    private readonly int _granuleScale;

    public OggOpusWriter(int inputSampleRate, int? bitrate = null)
    {
        _encoder = new OpusPacketEncoder(inputSampleRate, bitrate);
        _granuleScale = 48000 / _encoder.SampleRate;
    }

    public byte[] Start()
    {
        var output = new List<byte>();
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = 1; // channels
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)(_encoder.PreSkip * _granuleScale));
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)_encoder.InputSampleRate);
        // output gain 0, channel mapping family 0 (mono/stereo, no table)
        _pages.WritePage([head], 0, beginOfStream: true, endOfStream: false, output);

        var vendor = System.Text.Encoding.UTF8.GetBytes(Vendor);
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteInt32LittleEndian(tags.AsSpan(8), vendor.Length);
        vendor.CopyTo(tags.AsSpan(12));
        _pages.WritePage([tags], 0, beginOfStream: false, endOfStream: false, output);
        return [.. output];
    }

    /// <summary>The page of the packets these samples completed; empty when they fill no 20 ms frame yet.</summary>
    public byte[] Append(ReadOnlySpan<float> samples)
    {
        _packets.Clear();
        _encoder.Encode(samples, _packets);
        return Page(endOfStream: false);
    }

    public byte[] Finish()
    {
        _packets.Clear();
        _encoder.Flush(_packets);
        return Page(endOfStream: true);
    }

    public void Dispose() => _encoder.Dispose();

    private byte[] Page(bool endOfStream)
    {
        if (_packets.Count == 0 && !endOfStream)
        {
            return [];
        }

        // The last page's granule marks the end of the real audio (pre-skip + length), trimming the padding.
        long granule = endOfStream
            ? (_encoder.PreSkip + _encoder.TotalSamples) * _granuleScale
            : _encoder.EncodedSamples * _granuleScale;
        var output = new List<byte>();
        _pages.WritePage(_packets.ConvertAll(p => (ReadOnlyMemory<byte>)p), granule, beginOfStream: false, endOfStream, output);
        return [.. output];
    }
}
