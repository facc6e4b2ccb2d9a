using System.Buffers.Binary;
using Concentus;
using VoxCpm.Audio.Codecs.Ogg;
using VoxCpm.Audio.Codecs.Reading;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs.Opus;

/// <summary>
/// Decodes an Ogg Opus file (RFC 7845, channel mapping family 0: mono or stereo) to mono float at 48 kHz with
/// Concentus: the header's pre-skip is dropped and the end-of-stream granule position trims the last packet's padding.
/// </summary>
internal static class OggOpusDecoder
{
    private const int Rate = 48000;
    private const int MaxFrameSamples = 5760; // 120 ms at 48 kHz, the longest Opus packet

    public static DecodedAudio Decode(ReadOnlyMemory<byte> file, AudioDecodeLimits limits)
    {
        var reader = new OggPacketReader(file);
        using var packets = reader.Packets().GetEnumerator();
        if (!packets.MoveNext() || !packets.Current.AsSpan().StartsWith("OpusHead"u8) || packets.Current.Length < 19)
        {
            throw Malformed("the first Ogg packet is not an OpusHead header of at least 19 bytes");
        }

        var head = packets.Current;
        int channels = head[9];
        int preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        if (head[18] != 0 || channels is < 1 or > 2)
        {
            throw new AudioFormatException(AudioRejection.Unsupported, $"Ogg Opus with channel mapping family {head[18]} and {channels} channels is not supported (mono or stereo, family 0)");
        }

        if (!packets.MoveNext() || !packets.Current.AsSpan().StartsWith("OpusTags"u8))
        {
            throw Malformed("the second Ogg packet is not an OpusTags header");
        }

        using var decoder = OpusCodecFactory.CreateDecoder(Rate, channels);
        var samples = new MonoSampleBuffer(Rate, limits);
        var pcm = new float[MaxFrameSamples * channels];
        while (packets.MoveNext())
        {
            int frames;
            try
            {
                frames = decoder.Decode(packets.Current, pcm, MaxFrameSamples, false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw Malformed($"an Opus packet cannot be decoded ({e.Message})");
            }

            samples.AppendInterleaved(pcm.AsSpan(0, frames * channels), channels);
        }

        // The end-of-stream page's granule position is pre-skip + the real length; without it, keep everything decoded.
        long end = reader.EndOfStream ? reader.LastGranulePosition : long.MaxValue;
        return samples.ToAudio(channels, skip: preSkip, end: end);
    }

    private static AudioFormatException Malformed(string message) => new(AudioRejection.Malformed, "Ogg Opus: " + message);
}
