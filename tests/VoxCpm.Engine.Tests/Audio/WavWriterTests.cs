using System.Buffers;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Engine.Tests.Audio;

public class WavWriterTests
{
    [Fact]
    public void Written_files_decode_back_to_the_pcm16_rounding_of_the_input()
    {
        float[] samples = TestWav.Sine(24000, 440, 0.8, 10000);
        var writer = new ArrayBufferWriter<byte>();

        WavWriter.Write(writer, samples, 24000);

        DecodedAudio back = AudioDecoder.Decode(writer.WrittenSpan, AudioDecodeLimits.Default);
        Assert.Equal(24000, back.SampleRate);
        Assert.Equal(samples.Length, back.Samples.Length);
        Assert.Equal(WavWriter.HeaderSize + (2 * samples.Length), writer.WrittenCount);
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.Equal(samples[i], back.Samples[i] * 32768f / 32767f, 1f / 32767);
        }
    }

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
        float[] samples = TestWav.Sine(16000, 1000, 0.5, 9001);
        using var stream = new MemoryStream();

        await WavWriter.WriteAsync(stream, samples, 16000, CancellationToken.None);

        Assert.Equal(WavWriter.ToWavBytes(samples, 16000), stream.ToArray());
    }

    [Fact]
    public void A_header_of_unknown_length_marks_the_sizes_as_open()
    {
        byte[] header = new byte[WavWriter.HeaderSize];

        WavWriter.WriteHeader(header, 44100, -1);

        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(header, 4));
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(header, 40));
        Assert.Equal(44100u, BitConverter.ToUInt32(header, 24));
    }
}
