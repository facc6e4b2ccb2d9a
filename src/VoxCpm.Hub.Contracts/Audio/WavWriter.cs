using System.Buffers;
using System.Buffers.Binary;

namespace VoxCpm.Hub.Contracts.Audio;

/// <summary>
/// Writes 16-bit PCM mono WAV, the one audio file format of every wire (HTTP responses, history downloads, the client
/// library's files). Float samples are clipped to [-1, 1] and scaled by 32767 with rounding (NaN → 0), the libsndfile
/// convention for float → PCM16. Conversion runs in fixed-size blocks, so writing allocates nothing beyond the
/// destination (the stream path rents one block).
/// </summary>
public static class WavWriter
{
    /// <summary>Bytes in the RIFF/WAVE header of PCM16 mono audio.</summary>
    public const int HeaderSize = 44;

    /// <summary>The most PCM16 samples whose byte count the RIFF sizes (32-bit, the header included) can hold.</summary>
    private const long MaxSampleCount = (uint.MaxValue - (HeaderSize - 8)) / 2;

    /// <summary>Samples converted per block on the stream and buffer-writer paths.</summary>
    private const int BlockSamples = 4096;

    /// <summary>
    /// Writes the 44-byte header of <paramref name="sampleCount"/> samples. A count &lt; 0 marks a stream of unknown
    /// length, and so does a count too large for RIFF's 32-bit sizes: both sizes are set to 0xFFFFFFFF, which players
    /// and the engine's decoder read as "until the end".
    /// </summary>
    /// <param name="destination">At least <see cref="HeaderSize"/> bytes.</param>
    /// <param name="sampleRate">Samples per second, positive.</param>
    /// <param name="sampleCount">Samples that follow the header, or &lt; 0 when not known yet.</param>
    public static void WriteHeader(Span<byte> destination, int sampleRate, long sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HeaderSize, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        bool open = sampleCount is < 0 or > MaxSampleCount;
        uint dataBytes = open ? uint.MaxValue : (uint)(sampleCount * 2);
        uint riffBytes = open ? uint.MaxValue : dataBytes + HeaderSize - 8;
        "RIFF"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], riffBytes);
        "WAVE"u8.CopyTo(destination[8..]);
        "fmt "u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(destination[22..], 1); // mono
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], (uint)sampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[34..], 16);
        "data"u8.CopyTo(destination[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], dataBytes);
    }

    /// <summary>Float → little-endian PCM16; <paramref name="destination"/> holds 2 bytes per sample.</summary>
    public static void ConvertToPcm16(ReadOnlySpan<float> samples, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, samples.Length * 2, nameof(destination));
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(destination[(2 * i)..], ToPcm16(samples[i]));
        }
    }

    /// <summary>One float sample as PCM16: clipped to [-1, 1], scaled by 32767 and rounded; NaN is silence.</summary>
    public static short ToPcm16(float sample)
    {
        if (float.IsNaN(sample))
        {
            return 0;
        }

        return (short)MathF.Round(Math.Clamp(sample, -1f, 1f) * short.MaxValue);
    }

    /// <summary>A whole WAV file (header + samples) into <paramref name="writer"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<float> samples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteHeader(writer.GetSpan(HeaderSize), sampleRate, samples.Length);
        writer.Advance(HeaderSize);
        WriteSamples(writer, samples);
    }

    /// <summary>Just the PCM16 payload (after a header, or for a stream's later chunks).</summary>
    public static void WriteSamples(IBufferWriter<byte> writer, ReadOnlySpan<float> samples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        while (!samples.IsEmpty)
        {
            int count = Math.Min(samples.Length, BlockSamples);
            ConvertToPcm16(samples[..count], writer.GetSpan(count * 2));
            writer.Advance(count * 2);
            samples = samples[count..];
        }
    }

    /// <summary>A whole WAV file (header + samples) as a new array.</summary>
    public static byte[] ToWavBytes(ReadOnlySpan<float> samples, int sampleRate)
    {
        byte[] bytes = new byte[HeaderSize + (samples.Length * 2)];
        WriteHeader(bytes, sampleRate, samples.Length);
        ConvertToPcm16(samples, bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>A whole WAV file (header + samples) into <paramref name="stream"/>, block by block.</summary>
    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<float> samples, int sampleRate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] block = ArrayPool<byte>.Shared.Rent(Math.Max(HeaderSize, BlockSamples * 2));
        try
        {
            WriteHeader(block, sampleRate, samples.Length);
            await stream.WriteAsync(block.AsMemory(0, HeaderSize), cancellationToken);
            while (!samples.IsEmpty)
            {
                int count = Math.Min(samples.Length, BlockSamples);
                ConvertToPcm16(samples.Span[..count], block);
                await stream.WriteAsync(block.AsMemory(0, count * 2), cancellationToken);
                samples = samples[count..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }
}
