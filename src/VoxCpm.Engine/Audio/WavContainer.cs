using System.Buffers.Binary;

namespace VoxCpm.Engine.Audio;

/// <summary>RIFF/WAVE chunk walking: finds and validates <c>fmt </c>, then returns the <c>data</c> payload.</summary>
internal static class WavContainer
{
    private const ushort FormatPcm = 1;
    private const ushort FormatIeeeFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    // KSDATAFORMAT_SUBTYPE_* GUIDs share this tail after their 2-byte format tag (+2 zero bytes).
    private static ReadOnlySpan<byte> SubFormatTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static (WavFormat Format, Range Data) Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12)
        {
            throw Malformed("the file is too short to be a WAV file (no RIFF header)");
        }

        if (file[..4].SequenceEqual("RF64"u8) || file[..4].SequenceEqual("BW64"u8))
        {
            throw new AudioFormatException(AudioRejection.Unsupported, "RF64/BW64 WAV files are not supported; send a plain RIFF WAV");
        }

        if (!file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new AudioFormatException(AudioRejection.Unsupported, "not a RIFF/WAVE file; only WAV reference audio is supported");
        }

        WavFormat? format = null;
        int offset = 12;
        while (offset + 8 <= file.Length)
        {
            ReadOnlySpan<byte> id = file.Slice(offset, 4);
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(offset + 4, 4));
            int bodyStart = offset + 8;
            int available = file.Length - bodyStart;
            if (id.SequenceEqual("data"u8))
            {
                WavFormat f = format ?? throw Malformed("the WAV 'data' chunk comes before its 'fmt ' chunk");

                // Streamed WAVs leave the size unset (0 or 0xFFFFFFFF) or are cut short: take the bytes present.
                int length = declared == 0 || declared > available ? available : (int)declared;
                return (f, bodyStart..(bodyStart + length));
            }

            if (declared > available)
            {
                throw Malformed($"WAV chunk '{System.Text.Encoding.ASCII.GetString(id)}' claims {declared} bytes but only {available} remain");
            }

            if (id.SequenceEqual("fmt "u8))
            {
                format = ParseFormat(file.Slice(bodyStart, (int)declared));
            }

            offset = bodyStart + (int)declared + (int)(declared & 1);
        }

        throw Malformed(format is null ? "the WAV file has no 'fmt ' chunk" : "the WAV file has no 'data' chunk");
    }

    private static WavFormat ParseFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16)
        {
            throw Malformed($"the WAV 'fmt ' chunk is {fmt.Length} bytes, shorter than 16");
        }

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible)
        {
            if (fmt.Length < 40)
            {
                throw Malformed($"the WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {fmt.Length} bytes, shorter than 40");
            }

            ReadOnlySpan<byte> subFormat = fmt.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(SubFormatTail))
            {
                throw new AudioFormatException(AudioRejection.Unsupported, "WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID is not supported");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        WavSampleEncoding encoding = tag switch
        {
            FormatPcm => WavSampleEncoding.Pcm,
            FormatIeeeFloat => WavSampleEncoding.IeeeFloat,
            _ => throw new AudioFormatException(AudioRejection.Unsupported, $"WAV format tag 0x{tag:X4} ({Describe(tag)}) is not supported; use integer PCM or IEEE float"),
        };
        var format = new WavFormat(encoding, channels, (int)Math.Min(sampleRate, int.MaxValue), blockAlign, bits);
        AudioDecoder.ValidateShape(format);
        return format;
    }

    private static string Describe(ushort tag) => tag switch
    {
        2 => "MS ADPCM",
        6 => "A-law",
        7 => "µ-law",
        0x11 => "IMA ADPCM",
        0x55 => "MPEG layer 3",
        _ => "compressed",
    };

    private static AudioFormatException Malformed(string message) => new(AudioRejection.Malformed, message);
}
