using NLayer;
using VoxCpm.Audio.Codecs.Writing;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs.Tests.Writing;

/// <summary>Every response format, encoded from a known tone, is a file of that format that decodes back to the tone.</summary>
public class AudioStreamEncoderTests
{
    private readonly ReferenceAudioReader _reader = new(TestSignal.Ffmpeg);

    [Theory]
    [InlineData(AudioOutputFormat.Mp3, AudioFileFormat.Mp3)]
    [InlineData(AudioOutputFormat.Opus, AudioFileFormat.OggOpus)]
    [InlineData(AudioOutputFormat.Aac, AudioFileFormat.Adts)]
    [InlineData(AudioOutputFormat.Flac, AudioFileFormat.Flac)]
    [InlineData(AudioOutputFormat.Wav, AudioFileFormat.Wav)]
    public async Task Each_format_written_in_chunks_reads_back_as_the_tone(AudioOutputFormat format, AudioFileFormat expected)
    {
        foreach (int rate in (int[])[16000, 44100])
        {
            var bytes = await EncodeInChunksAsync(format, TestSignal.Tone(rate, 1.2), rate);

            Assert.Equal(expected, AudioFileFormats.Detect(bytes));
            var audio = await _reader.DecodeAsync(bytes, AudioDecodeLimits.Default, CancellationToken.None).DefaultTimeout();
            // MP3 and AAC add their encoder delay and frame padding (NLayer does not read LAME's gapless tag).
            TestSignal.AssertIsTone(audio, 1.2, slackSeconds: format is AudioOutputFormat.Aac or AudioOutputFormat.Mp3 ? 0.12 : 0.06);
        }
    }

    [Fact]
    public async Task Ffmpeg_reads_our_ogg_opus_to_the_exact_length()
    {
        // A third party's decoder honours our pre-skip and end granule: 44.1 kHz in, 48 kHz out, nothing added.
        var opus = await EncodeInChunksAsync(AudioOutputFormat.Opus, TestSignal.Tone(44100, 1), 44100);

        var pcm = TestSignal.RunFfmpeg(opus, "-f", "s16le", "-ac", "1", "-ar", "48000");

        Assert.InRange(pcm.Length / 2, 48000 - 2, 48000 + 2);
    }

    [Fact]
    public async Task Mp3_parses_as_mpeg_audio_frames_at_the_input_rate()
    {
        var mp3 = await EncodeInChunksAsync(AudioOutputFormat.Mp3, TestSignal.Tone(16000, 1), 16000);

        using var file = new MpegFile(new MemoryStream(mp3));
        Assert.Equal(16000, file.SampleRate);
        Assert.Equal(1, file.Channels);
    }

    [Fact]
    public async Task Pcm_is_the_raw_samples_and_a_wav_of_unknown_length_still_decodes()
    {
        var tone = TestSignal.Tone(16000, 0.5);
        var pcm = await EncodeInChunksAsync(AudioOutputFormat.Pcm, tone, 16000);
        Assert.Equal(tone.Length * 2, pcm.Length);

        var streamedWav = await EncodeInChunksAsync(AudioOutputFormat.Wav, tone, 16000);
        Assert.Equal(tone.Length, AudioDecoder.Decode(streamedWav, AudioDecodeLimits.Default).Samples.Length);
    }

    [Fact]
    public void Without_ffmpeg_mp3_aac_and_flac_are_named_as_needing_it()
    {
        var none = new Ffmpeg.FfmpegTool(null);
        foreach (var format in (AudioOutputFormat[])[AudioOutputFormat.Mp3, AudioOutputFormat.Aac, AudioOutputFormat.Flac])
        {
            Assert.Contains("'ffmpeg'", AudioOutputFormats.Unavailable(format, none), StringComparison.Ordinal);
        }

        Assert.Null(AudioOutputFormats.Unavailable(AudioOutputFormat.Opus, none));
        Assert.Throws<NotSupportedException>(() => AudioStreamEncoder.Create(AudioOutputFormat.Mp3, 16000, Stream.Null, none));
    }

    // Chunks of a model step's size (80 ms at 16 kHz), and the WAV header written before the length is known.
    private static async Task<byte[]> EncodeInChunksAsync(AudioOutputFormat format, float[] samples, int rate)
    {
        var output = new MemoryStream();
        await using (var encoder = AudioStreamEncoder.Create(format, rate, output, TestSignal.Ffmpeg))
        {
            int chunk = rate * 8 / 100;
            for (int i = 0; i < samples.Length; i += chunk)
            {
                await encoder.WriteAsync(samples.AsMemory(i, Math.Min(chunk, samples.Length - i)), CancellationToken.None);
            }

            await encoder.CompleteAsync(CancellationToken.None).AsTask().DefaultTimeout();
        }

        return output.ToArray();
    }
}
