using System.Buffers;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Engine.Tests.Audio;

/// <summary>The engine's decoder reads what the shared WAV writer (VoxCpm.Hub.Contracts) writes.</summary>
public class WavRoundTripTests
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
}
