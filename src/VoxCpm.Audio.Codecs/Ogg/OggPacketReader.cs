using System.Buffers.Binary;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs.Ogg;

/// <summary>
/// Reads the packets of the first logical stream of an Ogg file held in memory (RFC 3533): pages are checked for
/// the capture pattern, version, bounds and CRC, lacing values join packets across pages. Every problem is an
/// <see cref="AudioFormatException"/> naming the byte offset, never an index error.
/// </summary>
internal sealed class OggPacketReader(ReadOnlyMemory<byte> file)
{
    private const int HeaderSize = 27;

    private readonly List<byte> _partial = [];
    private int _offset;
    private uint? _serial;

    /// <summary>The granule position of the last page read (the end of the audio on an end-of-stream page).</summary>
    public long LastGranulePosition { get; private set; }

    /// <summary>Whether the page carrying the end-of-stream flag has been read.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>The next whole packet, or null at the end of the stream. Packets are copied: they outlive the page.</summary>
    public IEnumerable<byte[]> Packets()
    {
        while (!EndOfStream && _offset < file.Length)
        {
            foreach (var packet in ReadPage())
            {
                yield return packet;
            }
        }

        if (_partial.Count > 0)
        {
            throw Malformed(file.Length, "the file ends inside an Ogg packet (truncated)");
        }
    }

    private List<byte[]> ReadPage()
    {
        var span = file.Span;
        int start = _offset;
        if (span.Length - start < HeaderSize)
        {
            throw Malformed(start, "the file ends inside an Ogg page header (truncated)");
        }

        var header = span.Slice(start, HeaderSize);
        if (!header.StartsWith("OggS"u8) || header[4] != 0)
        {
            throw Malformed(start, "no Ogg page starts here (capture pattern 'OggS', version 0)");
        }

        byte flags = header[5];
        long granule = BinaryPrimitives.ReadInt64LittleEndian(header[6..]);
        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
        int segmentCount = header[26];
        if (span.Length - start - HeaderSize < segmentCount)
        {
            throw Malformed(start, "the file ends inside an Ogg segment table (truncated)");
        }

        var lacing = span.Slice(start + HeaderSize, segmentCount);
        int bodyLength = 0;
        foreach (byte l in lacing)
        {
            bodyLength += l;
        }

        int bodyStart = start + HeaderSize + segmentCount;
        if (span.Length - bodyStart < bodyLength)
        {
            throw Malformed(start, $"the Ogg page needs {bodyLength} bytes of data but the file ends after {span.Length - bodyStart} (truncated)");
        }

        _offset = bodyStart + bodyLength;
        uint computed = OggCrc.Compute(span[start..(start + 22)]);
        computed = OggCrc.Compute([0, 0, 0, 0], computed);
        computed = OggCrc.Compute(span[(start + 26)..(bodyStart + bodyLength)], computed);
        if (computed != crc)
        {
            throw Malformed(start, "the Ogg page checksum does not match its contents (corrupted)");
        }

        _serial ??= serial;
        var packets = new List<byte[]>();
        if (serial != _serial)
        {
            return packets; // another multiplexed stream: not ours
        }

        LastGranulePosition = granule == -1 ? LastGranulePosition : granule;
        EndOfStream = (flags & 0x04) != 0;
        int position = bodyStart;
        foreach (byte l in lacing)
        {
            _partial.AddRange(span.Slice(position, l));
            position += l;
            if (l < 255)
            {
                packets.Add([.. _partial]);
                _partial.Clear();
            }
        }

        return packets;
    }

    private static AudioFormatException Malformed(long offset, string message) =>
        new(AudioRejection.Malformed, $"{message} at byte {offset}");
}
