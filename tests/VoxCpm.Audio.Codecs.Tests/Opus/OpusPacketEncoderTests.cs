using Concentus;
using VoxCpm.Audio.Codecs.Opus;

namespace VoxCpm.Audio.Codecs.Tests.Opus;

/// <summary>The packet stream the real-time wire carries: decoded, skipped by pre-skip and cut at the total, it is the input's length.</summary>
public class OpusPacketEncoderTests
{
    [Theory]
    [InlineData(16000, 1280)]
    [InlineData(44100, 7056)]
    [InlineData(24000, 1000)]
    [InlineData(48000, 1000)]
    [InlineData(12000, 1000)]
    public void Packets_decode_back_to_the_input_length_at_the_opus_rate(int rate, int chunk)
    {
        var tone = TestSignal.Tone(rate, 1.3);
        using var encoder = new OpusPacketEncoder(rate);
        var packets = new List<byte[]>();
        long announced = 0;
        for (int i = 0; i < tone.Length; i += chunk)
        {
            encoder.Encode(tone.AsSpan(i, Math.Min(chunk, tone.Length - i)), packets);
            Assert.True(encoder.CompletedSamples >= announced, "the completed count never goes back");
            announced = encoder.CompletedSamples;
        }

        encoder.Flush(packets);
        long expected = (long)Math.Round(tone.Length * (double)encoder.SampleRate / rate);
        Assert.Equal(expected, encoder.TotalSamples);
        Assert.Equal(expected, encoder.CompletedSamples);

        using var decoder = OpusCodecFactory.CreateDecoder(encoder.SampleRate, 1);
        var decoded = new List<float>();
        var frame = new float[5760];
        foreach (var packet in packets)
        {
            int n = decoder.Decode(packet, frame, frame.Length, false);
            decoded.AddRange(frame.AsSpan(0, n).ToArray());
        }

        Assert.True(decoded.Count >= encoder.PreSkip + expected);
        var audio = new VoxCpm.Engine.Audio.DecodedAudio(decoded.Skip(encoder.PreSkip).Take((int)expected).ToArray(), encoder.SampleRate, 1);
        TestSignal.AssertIsTone(audio, tone.Length / (double)rate, 0.001);
    }

    [Fact]
    public void Speech_rate_packets_are_a_small_fraction_of_pcm16()
    {
        using var encoder = new OpusPacketEncoder(16000);
        var packets = new List<byte[]>();
        encoder.Encode(TestSignal.Tone(16000, 2), packets);
        encoder.Flush(packets);

        long bytes = packets.Sum(p => (long)p.Length);
        Assert.InRange(bytes / 2.0, 1, 16000 * 2 / 5.0); // ≤ 1/5 of PCM16's 32 kB/s (24 kbit/s ≈ 3 kB/s)
    }
}
