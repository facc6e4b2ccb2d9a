using System.Buffers.Binary;
using VoxCpm.Engine.Audio;
using VoxCpm.Engine.Parity;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Audio;

public class AudioDecoderTests
{
    private static readonly AudioDecodeLimits s_limits = AudioDecodeLimits.Default;

    [Fact]
    public void The_fixture_prompt_loads_bit_exactly_as_torchaudio_loaded_it()
    {
        using var fixture = FixtureCase.Open(TinyFixtures.Case("v05", "clone"));

        DecodedAudio audio = AudioDecoder.Decode(File.ReadAllBytes(fixture.PromptWavPath!), s_limits);

        float[] expected = fixture.Float("prompt_audio_loaded").Data;
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(1, audio.SourceChannels);
        Assert.Equal(expected.Length, audio.Samples.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(audio.Samples[i]));
        }
    }

    [Fact]
    public void Every_integer_width_is_scaled_by_its_full_range()
    {
        Assert.Equal([-1f, 0f, 0.5f], Decode(1, 8, [0, 128, 192]));
        Assert.Equal([-1f, 0.5f], Decode(1, 16, TestWav.Int16(short.MinValue, 16384)));
        Assert.Equal([-1f, 0.25f], Decode(1, 24, [0x00, 0x00, 0x80, 0x00, 0x00, 0x20]));
        byte[] int32 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(int32, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(int32.AsSpan(4), 1 << 29);
        Assert.Equal([-1f, 0.25f], Decode(1, 32, int32));
    }

    [Fact]
    public void Float_samples_pass_through_and_doubles_are_narrowed()
    {
        byte[] f32 = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 0.123f);
        BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(4), -1.5f);
        Assert.Equal([0.123f, -1.5f], AudioDecoder.Decode(TestWav.Build(3, 1, 8000, 32, f32), s_limits).Samples);

        byte[] f64 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.1);
        Assert.Equal([0.1f], AudioDecoder.Decode(TestWav.Build(3, 1, 8000, 64, f64), s_limits).Samples);
    }

    [Fact]
    public void Channels_are_averaged_to_mono()
    {
        // Three channels, two frames.
        DecodedAudio audio = AudioDecoder.Decode(TestWav.Build(1, 3, 22050, 16, TestWav.Int16(3000, 6000, 9000, -300, 0, 300)), s_limits);

        Assert.Equal(3, audio.SourceChannels);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal([6000f / 32768, 0f], audio.Samples);
    }

    [Fact]
    public void Extensible_pcm_and_float_are_understood()
    {
        DecodedAudio pcm = AudioDecoder.Decode(TestWav.Build(1, 2, 48000, 16, TestWav.Int16(1000, 3000), extensible: true), s_limits);
        Assert.Equal([2000f / 32768], pcm.Samples);

        byte[] f32 = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 0.75f);
        Assert.Equal([0.75f], AudioDecoder.Decode(TestWav.Build(3, 1, 48000, 32, f32, extensible: true, extensibleSubFormat: 3), s_limits).Samples);
    }

    [Fact]
    public void Unknown_chunks_before_fmt_are_skipped_with_their_pad_byte()
    {
        byte[] wav = TestWav.Build(1, 1, 16000, 16, TestWav.Int16(100, 200), extraChunk: [1, 2, 3]);

        Assert.Equal([100f / 32768, 200f / 32768], AudioDecoder.Decode(wav, s_limits).Samples);
    }

    [Theory]
    [InlineData(0x55, 1, 16, AudioRejection.Unsupported, "MPEG layer 3")]
    [InlineData(7, 1, 8, AudioRejection.Unsupported, "µ-law")]
    [InlineData(1, 1, 12, AudioRejection.Unsupported, "12 bits")]
    [InlineData(3, 1, 16, AudioRejection.Unsupported, "IEEE float")]
    [InlineData(1, 0, 16, AudioRejection.Unsupported, "0 channels")]
    public void Unsupported_encodings_are_refused_with_the_reason(int tag, int channels, int bits, AudioRejection rejection, string reason)
    {
        byte[] wav = TestWav.Build((ushort)tag, channels, 16000, bits, new byte[16]);

        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(wav, s_limits));
        Assert.Equal(rejection, e.Rejection);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_wav_and_broken_files_are_refused()
    {
        Assert.Contains("RIFF/WAVE", Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode("ID3\u0004 an mp3 file"u8, s_limits)).Message, StringComparison.Ordinal);
        Assert.Equal(AudioRejection.Malformed, Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode("RIFF"u8, s_limits)).Rejection);

        byte[] noData = TestWav.Build(1, 1, 16000, 16, [])[..36];
        Assert.Contains("no 'data' chunk", Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(noData, s_limits)).Message, StringComparison.Ordinal);

        byte[] badAlign = TestWav.Build(1, 2, 16000, 16, new byte[8]);
        BinaryPrimitives.WriteUInt16LittleEndian(badAlign.AsSpan(32), 3);
        Assert.Contains("block align 3", Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(badAlign, s_limits)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_the_byte_limit_is_refused_before_parsing()
    {
        byte[] wav = TestWav.Build(1, 1, 16000, 16, new byte[2000]);

        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(wav, new AudioDecodeLimits(1000, TimeSpan.FromHours(1))));
        Assert.Equal(AudioRejection.TooLarge, e.Rejection);
        Assert.Contains("1000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audio_longer_than_the_duration_limit_is_refused_before_decoding()
    {
        // 3 s of 16 kHz audio against a 2 s limit: the frame count from the header decides, before samples exist.
        byte[] wav = TestWav.Build(1, 1, 16000, 16, new byte[3 * 16000 * 2]);

        var e = Assert.Throws<AudioFormatException>(() => AudioDecoder.Decode(wav, new AudioDecodeLimits(1 << 30, TimeSpan.FromSeconds(2))));
        Assert.Equal(AudioRejection.TooLarge, e.Rejection);
        Assert.Contains("3 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_are_read_only_up_to_the_byte_limit()
    {
        byte[] wav = TestWav.Build(1, 1, 16000, 16, new byte[4000]);
        var limits = new AudioDecodeLimits(3000, TimeSpan.FromHours(1));
        using var unseekable = new NonSeekableStream(wav);

        var e = await Assert.ThrowsAsync<AudioFormatException>(async () => await AudioDecoder.DecodeAsync(unseekable, limits, CancellationToken.None));
        Assert.Equal(AudioRejection.TooLarge, e.Rejection);
        Assert.True(unseekable.BytesRead <= limits.MaxBytes + (1 << 16));

        using var ok = new NonSeekableStream(wav);
        DecodedAudio audio = await AudioDecoder.DecodeAsync(ok, AudioDecodeLimits.Default, CancellationToken.None);
        Assert.Equal(2000, audio.Samples.Length);
    }

    [Fact]
    public void A_streamed_wav_with_unset_data_size_reads_to_the_end()
    {
        byte[] wav = WavWriter.ToWavBytes([0.5f, -0.5f, 0.25f], 16000);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), uint.MaxValue);

        Assert.Equal(3, AudioDecoder.Decode(wav, s_limits).Samples.Length);
    }

    private static float[] Decode(int channels, int bits, byte[] data) =>
        AudioDecoder.Decode(TestWav.Build(1, channels, 16000, bits, data), s_limits).Samples;

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public long BytesRead { get; private set; }

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(Span<byte> buffer)
        {
            int read = base.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = base.Read(buffer.Span);
            BytesRead += read;
            return ValueTask.FromResult(read);
        }
    }
}
