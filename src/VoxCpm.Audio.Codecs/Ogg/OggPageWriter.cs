using System.Buffers.Binary;

namespace VoxCpm.Audio.Codecs.Ogg;

/// <summary>
/// Writes the pages of one logical Ogg stream (RFC 3533) into a buffer: each <see cref="WritePage"/> call is one
/// page holding whole packets, so a streaming response can send it as soon as it exists.
/// </summary>
internal sealed class OggPageWriter(uint serial)
{
    private const int MaxSegments = 255;
    private int _sequence;

    /// <summary>Appends one page (or more, when the packets need more than 255 lacing values) to <paramref name="output"/>.</summary>
    public void WritePage(IReadOnlyList<ReadOnlyMemory<byte>> packets, long granulePosition, bool beginOfStream, bool endOfStream, List<byte> output)
    {
        int first = 0;
        while (true)
        {
            // As many whole packets as fit in 255 lacing values; one page per group.
            int segments = 0;
            int last = first;
            while (last < packets.Count && segments + LacingCount(packets[last].Length) <= MaxSegments)
            {
                segments += LacingCount(packets[last].Length);
                last++;
            }

            if (last == first && first < packets.Count)
            {
                throw new ArgumentException($"a packet of {packets[first].Length} bytes does not fit one Ogg page; the encoder never writes such packets", nameof(packets));
            }

            bool final = last >= packets.Count;
            byte flags = (byte)((beginOfStream && first == 0 ? 0x02 : 0) | (endOfStream && final ? 0x04 : 0));
            Emit(packets, first, last, segments, flags, final ? granulePosition : -1, output);
            if (final)
            {
                return;
            }

            first = last;
        }
    }

    private static int LacingCount(int length) => (length / 255) + 1;

    private void Emit(IReadOnlyList<ReadOnlyMemory<byte>> packets, int first, int last, int segments, byte flags, long granule, List<byte> output)
    {
        int body = 0;
        for (int i = first; i < last; i++)
        {
            body += packets[i].Length;
        }

        var page = new byte[27 + segments + body];
        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = flags;
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(18), _sequence++);
        page[26] = (byte)segments;
        int lacing = 27;
        int data = 27 + segments;
        for (int i = first; i < last; i++)
        {
            int length = packets[i].Length;
            for (int remaining = length; ; remaining -= 255)
            {
                page[lacing++] = (byte)Math.Min(remaining, 255);
                if (remaining < 255)
                {
                    break;
                }
            }

            packets[i].Span.CopyTo(page.AsSpan(data));
            data += length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Compute(page));
        output.AddRange(page);
    }
}
