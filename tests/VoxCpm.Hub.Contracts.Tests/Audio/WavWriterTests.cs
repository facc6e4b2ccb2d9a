using System.Buffers;
using System.Buffers.Binary;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Hub.Contracts.Tests.Audio;

public class WavWriterTests
{
    [Fact]
    public void Out_of_range_samples_are_clipped_and_nan_is_silence()
    {
        Assert.Equal(short.MaxValue, WavWriter.ToPcm16(1.7f));
        Assert.Equal(-short.MaxValue, WavWriter.ToPcm16(-3f));
        Assert.Equal(0, WavWriter.ToPcm16(float.NaN));
        Assert.Equal(16384, WavWriter.ToPcm16(0.5f));
        Assert.Equal(short.MaxValue, WavWriter.ToPcm16(float.PositiveInfinity));
    }

    [Fact]
    public async Task The_stream_path_writes_the_same_bytes_as_the_buffer_path()
    {
        float[] samples = Sine(16000, 1000, 0.5, 9001);
        using var stream = new MemoryStream();

        await WavWriter.WriteAsync(stream, samples, 16000, CancellationToken.None);

        Assert.Equal(WavWriter.ToWavBytes(samples, 16000), stream.ToArray());
    }

    [Fact]
    public void The_buffer_writer_path_writes_the_same_bytes_as_the_array_path()
    {
        float[] samples = Sine(24000, 440, 0.8, 10000);
        var writer = new ArrayBufferWriter<byte>();

        WavWriter.Write(writer, samples, 24000);

        Assert.Equal(WavWriter.ToWavBytes(samples, 24000), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_header_of_known_length_describes_pcm16_mono()
    {
        byte[] header = new byte[WavWriter.HeaderSize];

        WavWriter.WriteHeader(header, 24000, 1000);

        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(header, 0, 4));
        Assert.Equal(36u + 2000u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)));
        Assert.Equal("WAVEfmt ", System.Text.Encoding.ASCII.GetString(header, 8, 8));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(20))); // PCM
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(22))); // mono
        Assert.Equal(24000u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24)));
        Assert.Equal(48000u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(28)));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(34)));
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(header, 36, 4));
        Assert.Equal(2000u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(40)));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(3_000_000_000L)] // 6 GB of PCM16: more than RIFF's 32-bit sizes can say
    public void A_header_of_unknown_or_unsayable_length_marks_the_sizes_as_open(long sampleCount)
    {
        byte[] header = new byte[WavWriter.HeaderSize];

        WavWriter.WriteHeader(header, 44100, sampleCount);

        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(header, 4));
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(header, 40));
        Assert.Equal(44100u, BitConverter.ToUInt32(header, 24));
    }

    private static float[] Sine(int sampleRate, double frequency, double amplitude, int count)
    {
        float[] x = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return x;
    }
}
